import type { MethodSpec } from "../../methods/registry.js";
import {
  rebootDevice,
  refreshDevice,
  retryRequest,
  retrySms,
  runDiagnostic,
  scanImage,
  sendSms,
} from "./actions.js";
import { oltCredentials, recordOpticalLevels, webLogin } from "./diagnostics.js";
import { lookup } from "./device.js";
import { assign, board, calendarEvents } from "./dispatch.js";
import {
  addEquipment,
  addPhoto,
  complete,
  createLink,
  jobs,
  revokeLink,
  serviceWorker,
  setChecklist,
  setStatus,
} from "./field.js";
import { recordPositions } from "./gps.js";
import { phoneCall, stripeEvent, uptimeKumaHeartbeat } from "./inbound.js";
import { askTechnician, checkAgain, restart, sendCode, service, start, verify } from "./portal.js";
import { info, upsert } from "./migrate.js";
import { postOpeningStock, stockCheck } from "./stock.js";
import { accept, createEquipment, modelSettings } from "./vision.js";

/** The app's whitelisted API (erpnext-app/gigafibre_fsm/api), same paths, inputs and outputs. */
export const APP_METHODS: Record<string, MethodSpec> = {
  "gigafibre_fsm.api.inbound.uptime_kuma_heartbeat": { methods: ["POST"], fn: uptimeKumaHeartbeat },
  "gigafibre_fsm.api.inbound.stripe_event": { methods: ["POST"], fn: stripeEvent },
  "gigafibre_fsm.api.inbound.phone_call": { methods: ["POST"], fn: phoneCall },
  "gigafibre_fsm.api.device.lookup": { fn: lookup },
  "gigafibre_fsm.api.migrate.info": { methods: ["GET"], fn: info },
  "gigafibre_fsm.api.migrate.upsert": { methods: ["POST"], fn: upsert },
  "gigafibre_fsm.api.actions.run_diagnostic": { methods: ["POST"], fn: runDiagnostic },
  "gigafibre_fsm.api.actions.scan_image": { methods: ["POST"], fn: scanImage },
  "gigafibre_fsm.api.actions.retry_request": { methods: ["POST"], fn: retryRequest },
  "gigafibre_fsm.api.actions.send_sms": { methods: ["POST"], fn: sendSms },
  "gigafibre_fsm.api.actions.retry_sms": { methods: ["POST"], fn: retrySms },
  "gigafibre_fsm.api.actions.refresh_device": { methods: ["POST"], fn: refreshDevice },
  "gigafibre_fsm.api.actions.reboot_device": { methods: ["POST"], fn: rebootDevice },
  "gigafibre_fsm.api.diagnostics.olt_credentials": { fn: oltCredentials },
  "gigafibre_fsm.api.diagnostics.web_login": { fn: webLogin },
  "gigafibre_fsm.api.diagnostics.record_optical_levels": {
    methods: ["POST"],
    fn: recordOpticalLevels,
  },
  "gigafibre_fsm.api.vision.model_settings": { fn: modelSettings },
  "gigafibre_fsm.api.vision.create_equipment": { methods: ["POST"], fn: createEquipment },
  "gigafibre_fsm.api.vision.accept": { methods: ["POST"], fn: accept },
  "gigafibre_fsm.api.dispatch.board": { methods: ["GET"], fn: board },
  "gigafibre_fsm.api.dispatch.assign": { methods: ["POST"], fn: assign },
  "gigafibre_fsm.api.dispatch.calendar_events": { methods: ["GET"], fn: calendarEvents },
  "gigafibre_fsm.api.field.jobs": { methods: ["GET"], allowGuest: true, fn: jobs },
  "gigafibre_fsm.api.field.set_status": { methods: ["POST"], allowGuest: true, fn: setStatus },
  "gigafibre_fsm.api.field.complete": { methods: ["POST"], allowGuest: true, fn: complete },
  "gigafibre_fsm.api.field.set_checklist": {
    methods: ["POST"],
    allowGuest: true,
    fn: setChecklist,
  },
  "gigafibre_fsm.api.field.add_photo": { methods: ["POST"], allowGuest: true, fn: addPhoto },
  "gigafibre_fsm.api.field.add_equipment": {
    methods: ["POST"],
    allowGuest: true,
    fn: addEquipment,
  },
  "gigafibre_fsm.api.field.service_worker": {
    methods: ["GET"],
    allowGuest: true,
    fn: serviceWorker,
  },
  "gigafibre_fsm.api.field.create_link": { methods: ["POST"], fn: createLink },
  "gigafibre_fsm.api.field.revoke_link": { methods: ["POST"], fn: revokeLink },
  "gigafibre_fsm.api.gps.record_positions": { methods: ["POST"], fn: recordPositions },
  "gigafibre_fsm.api.stock.post_opening_stock": { methods: ["POST"], fn: postOpeningStock },
  "gigafibre_fsm.api.stock.stock_check": { fn: stockCheck },
  // The customer portal behind a modem's QR sticker (its sticker sheet, a PDF, is not served here).
  "gigafibre_fsm.api.portal.start": { methods: ["POST"], allowGuest: true, fn: start },
  "gigafibre_fsm.api.portal.send_code": { methods: ["POST"], allowGuest: true, fn: sendCode },
  "gigafibre_fsm.api.portal.verify": { methods: ["POST"], allowGuest: true, fn: verify },
  "gigafibre_fsm.api.portal.service": { allowGuest: true, fn: service },
  "gigafibre_fsm.api.portal.check_again": { methods: ["POST"], allowGuest: true, fn: checkAgain },
  "gigafibre_fsm.api.portal.restart": { methods: ["POST"], allowGuest: true, fn: restart },
  "gigafibre_fsm.api.portal.ask_technician": {
    methods: ["POST"],
    allowGuest: true,
    fn: askTechnician,
  },
};
