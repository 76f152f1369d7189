import type { Transport } from "../http/transport.js";

export interface UploadOptions {
  /** The file's bytes. */
  data: Blob | Uint8Array;
  filename: string;
  /** Attach to this document... */
  doctype?: string;
  docname?: string;
  /** ...and put the file URL in this Attach / Attach Image field. */
  fieldname?: string;
  /** Private files need a logged-in user to download. Default true. */
  isPrivate?: boolean;
  folder?: string;
  signal?: AbortSignal;
}

export interface FileDoc {
  name: string;
  file_name: string;
  file_url: string;
  is_private: 0 | 1;
  attached_to_doctype?: string | null;
  attached_to_name?: string | null;
  attached_to_field?: string | null;
}

/** `upload_file`, then the field set to the file's URL when a field is named. */
export async function uploadFile(http: Transport, opts: UploadOptions): Promise<FileDoc> {
  const form = new FormData();
  const blob =
    opts.data instanceof Blob ? opts.data : new Blob([opts.data as Uint8Array<ArrayBuffer>]);
  form.set("file", blob, opts.filename);
  form.set("is_private", opts.isPrivate === false ? "0" : "1");
  if (opts.doctype) form.set("doctype", opts.doctype);
  if (opts.docname) form.set("docname", opts.docname);
  if (opts.fieldname) form.set("fieldname", opts.fieldname);
  if (opts.folder) form.set("folder", opts.folder);
  const res = await http.request<{ message: FileDoc }>({
    method: "POST",
    path: "/api/method/upload_file",
    form,
    repeatable: false,
    signal: opts.signal,
  });
  const file = res.message;
  if (opts.doctype && opts.docname && opts.fieldname) {
    await http.request({
      method: "POST",
      path: "/api/method/frappe.client.set_value",
      json: {
        doctype: opts.doctype,
        name: opts.docname,
        fieldname: opts.fieldname,
        value: file.file_url,
      },
      repeatable: true,
      signal: opts.signal,
    });
  }
  return file;
}
