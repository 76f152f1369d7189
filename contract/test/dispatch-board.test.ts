import { beforeAll, describe, expect, it } from "vitest";
import { FrappeError, type FrappeClient } from "@gigafibre/frappe-client";
import { unique, useTarget } from "../support/target.js";

// The dispatch board's calls as a dispatcher makes them (the board page drags and drops through
// exactly these): the board's day, then assignments the form's own rules judge: skills, working
// hours, transitions, dependencies, someone else's newer save. A technician cannot use either.
const t = useTarget();

interface World {
  dispatcher: FrappeClient;
  tech: { email: string; client: FrappeClient; name: string };
  splicer: string;
  novice: string;
  customer: string;
  location: string;
  tag: string;
  today: string;
}
const w = {} as World;

const BOARD = "gigafibre_fsm.api.dispatch.board";
const ASSIGN = "gigafibre_fsm.api.dispatch.assign";

async function refusal(attempt: Promise<unknown>): Promise<FrappeError> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "the call was accepted").toBeInstanceOf(FrappeError);
  return error as FrappeError;
}

interface BoardJob {
  name: string;
  status: string;
  technician: string | null;
  scheduled_start: string | null;
  modified: string;
  customer_name: string;
  latitude: number | null;
  tags: string[];
}
interface Board {
  date: string;
  technicians: { name: string; work_start: string | null; skills: { tag: string }[] }[];
  jobs: BoardJob[];
  unassigned: BoardJob[];
}

const board = (client: FrappeClient = w.dispatcher) =>
  client.call<Board>(BOARD, { date: w.today, days: 1 }, { http: "GET" });

async function newJob(extra: Record<string, unknown> = {}): Promise<string> {
  const doc = await t.target.admin.insert("Dispatch Job", {
    job_type: "Installation",
    customer: w.customer,
    service_location: w.location,
    scheduled_date: w.today,
    scheduled_start: "09:00:00",
    duration_minutes: 60,
    tags: [{ tag: w.tag }],
    ...extra,
  } as never);
  return doc.name;
}

beforeAll(async () => {
  const admin = t.target.admin;
  w.dispatcher = (await t.target.user(["Dispatcher"])).client;
  w.tag = unique("Splicing");
  await admin.insert("Dispatch Tag", { tag_name: w.tag, kind: "Skill", level: 2, required: 1 });
  const techUser = await t.target.user(["Technician"]);
  const splicer = await admin.insert("Technician", {
    user: techUser.email,
    technician_name: unique("Splicer"),
    work_start: "08:00:00",
    work_end: "17:00:00",
    skills: [{ tag: w.tag, level: 3 }],
  } as never);
  w.tech = { ...techUser, name: splicer.name };
  w.splicer = splicer.name;
  const noviceUser = await t.target.user(["Technician"]);
  w.novice = (
    await admin.insert("Technician", {
      user: noviceUser.email,
      technician_name: unique("Novice"),
    } as never)
  ).name;
  w.customer = (
    await admin.insert("Customer", {
      customer_name: unique("Board Client"),
      customer_type: "Individual",
    })
  ).name;
  w.location = (
    await admin.insert("Service Location", {
      customer: w.customer,
      address_line1: "12 rue Principale",
      city: "Lévis",
      latitude: 46.8,
      longitude: -71.18,
    } as never)
  ).name;
  const probe = await admin.insert("Dispatch Job", {
    job_type: "Repair",
    customer: w.customer,
  } as never);
  w.today = String(probe.scheduled_date); // the site's today, in the site's time zone
  await admin.delete("Dispatch Job", probe.name);
});

describe("the dispatch board", () => {
  it("shows the day: technicians with their hours and skills, unassigned jobs with their place", async () => {
    const job = await newJob();
    const b = await board();
    expect(b.date).toBe(w.today);
    const splicer = b.technicians.find((x) => x.name === w.splicer)!;
    expect(splicer.work_start).toBe("08:00");
    expect(splicer.skills.map((s) => s.tag)).toEqual([w.tag]);
    const row = b.unassigned.find((j) => j.name === job)!;
    expect(row).toMatchObject({ status: "Open", technician: null, scheduled_start: "09:00" });
    expect(row.tags).toEqual([w.tag]);
    expect(row.latitude).toBeCloseTo(46.8);
    expect(b.jobs.some((j) => j.name === job)).toBe(false);
  });

  it("assigns a job to a technician who holds the skill, within their hours: the job is Assigned", async () => {
    const job = await newJob();
    const before = (await board()).unassigned.find((j) => j.name === job)!;
    const row = await w.dispatcher.call<BoardJob>(ASSIGN, {
      job,
      technician: w.splicer,
      scheduled_start: "10:30:00",
      modified: before.modified,
    });
    expect(row).toMatchObject({
      technician: w.splicer,
      status: "Assigned",
      scheduled_start: "10:30",
    });
    const b = await board();
    expect(b.jobs.find((j) => j.name === job)?.technician).toBe(w.splicer);
    expect(b.unassigned.some((j) => j.name === job)).toBe(false);
  });

  it("refuses a technician without the required skill, saying which", async () => {
    const job = await newJob();
    const e = await refusal(w.dispatcher.call(ASSIGN, { job, technician: w.novice }));
    expect(e.excType).toBe("AssignmentRefused");
    expect(e.message).toContain(`lacks the skills ${job} requires: ${w.tag} (level 2)`);
    expect((await t.target.admin.get("Dispatch Job", job)).technician ?? null).toBeNull();
  });

  it("refuses a time outside the technician's working hours", async () => {
    const job = await newJob();
    const e = await refusal(
      w.dispatcher.call(ASSIGN, { job, technician: w.splicer, scheduled_start: "16:30:00" }),
    );
    expect(e.excType).toBe("AssignmentRefused");
    expect(e.message).toContain("(16:30 to 17:30) falls outside");
    expect(e.message).toContain("(08:00 to 17:00)");
  });

  it("refuses a move made on a stale copy of the job", async () => {
    const job = await newJob();
    const stale = (await board()).unassigned.find((j) => j.name === job)!.modified;
    await t.target.admin.update("Dispatch Job", job, { priority: "High" } as never);
    const e = await refusal(
      w.dispatcher.call(ASSIGN, { job, technician: w.splicer, modified: stale }),
    );
    expect(e.excType).toBe("TimestampMismatchError");
  });

  it("takes a job back to the unassigned list as Scheduled, but never one already On Site", async () => {
    const job = await newJob({ technician: w.splicer, status: "Assigned" });
    const back = await w.dispatcher.call<BoardJob>(ASSIGN, { job, technician: null });
    expect(back).toMatchObject({ technician: null, status: "Scheduled" });
    const busy = await newJob({ technician: w.splicer, status: "Assigned" });
    await t.target.admin.update("Dispatch Job", busy, { status: "On Site" } as never);
    const e = await refusal(w.dispatcher.call(ASSIGN, { job: busy, technician: null }));
    expect(e.excType).toBe("InvalidJobTransition");
    expect((await t.target.admin.get("Dispatch Job", busy)).status).toBe("On Site");
  });

  it("keeps a job waiting on another Blocked when it is given a technician", async () => {
    const first = await newJob();
    const waiting = await newJob({ depends_on: [{ job: first }] });
    expect((await t.target.admin.get("Dispatch Job", waiting)).status).toBe("Blocked");
    const row = await w.dispatcher.call<BoardJob>(ASSIGN, { job: waiting, technician: w.splicer });
    expect(row).toMatchObject({ technician: w.splicer, status: "Blocked" });
  });

  it("is for dispatchers: a technician can neither read the board nor move a job", async () => {
    const e = await refusal(board(w.tech.client));
    expect(e.excType).toBe("PermissionError");
    const mine = await newJob({ technician: w.splicer, status: "Assigned" });
    const move = await refusal(
      w.tech.client.call(ASSIGN, { job: mine, technician: w.splicer, scheduled_start: "11:00:00" }),
    );
    expect(move.excType).toBe("PermissionError");
    expect((await t.target.admin.get("Dispatch Job", mine)).scheduled_start).toMatch(/^0?9:00/);
  });
});
