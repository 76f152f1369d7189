import PDFDocument from "pdfkit";
import sharp from "sharp";

/** A supplier invoice with known content and totals (GST 5 %, QST 9.975 %, Quebec). */
export interface Invoice {
  supplier: string;
  gst: string;
  qst: string;
  number: string;
  date: string;
  lines: { sku: string; description: string; qty: number; rate: number }[];
  /** Printed instead of the true total (a typo on the supplier's side). */
  printedTotal?: number | undefined;
}

const money = (n: number) => (Math.round(n * 100) / 100).toFixed(2);

export function totals(inv: Invoice) {
  const amounts = inv.lines.map((l) => Math.round(l.qty * l.rate * 100) / 100);
  const subtotal = Math.round(amounts.reduce((a, b) => a + b, 0) * 100) / 100;
  const gst = Math.round(subtotal * 0.05 * 100) / 100;
  const qst = Math.round(subtotal * 0.09975 * 100) / 100;
  const total = Math.round((subtotal + gst + qst) * 100) / 100;
  return { amounts, subtotal, gst, qst, total: inv.printedTotal ?? total };
}

/** What a model that reads the invoice right answers (the fake is told this). */
export function invoiceAnswer(inv: Invoice) {
  const t = totals(inv);
  return {
    supplier_name: inv.supplier,
    supplier_gst_number: inv.gst,
    supplier_qst_number: inv.qst,
    invoice_number: inv.number,
    invoice_date: inv.date,
    currency: "CAD",
    lines: inv.lines.map((l, i) => ({
      description: l.description,
      supplier_part_no: l.sku,
      qty: l.qty,
      rate: l.rate,
      amount: t.amounts[i]!,
    })),
    subtotal: t.subtotal,
    gst_amount: t.gst,
    qst_amount: t.qst,
    total: t.total,
    instructions_in_image: false,
  };
}

function rows(inv: Invoice): string[] {
  const t = totals(inv);
  return [
    inv.supplier,
    `TPS/GST ${inv.gst}   TVQ/QST ${inv.qst}`,
    `Facture / Invoice ${inv.number}   Date ${inv.date}`,
    "",
    ...inv.lines.map(
      (l, i) => `${l.sku}  ${l.description}  ${l.qty} x ${money(l.rate)} = ${money(t.amounts[i]!)}`,
    ),
    "",
    `Sous-total / Subtotal  ${money(t.subtotal)}`,
    `TPS / GST 5%  ${money(t.gst)}`,
    `TVQ / QST 9.975%  ${money(t.qst)}`,
    `Total CAD  ${money(t.total)}`,
  ];
}

/** The invoice as a one-page PDF (pdfkit's built-in Helvetica: no font file needed). */
export function invoicePdf(inv: Invoice): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: "LETTER", margin: 50, info: { Title: inv.number } });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.font("Helvetica").fontSize(12);
    for (const line of rows(inv)) doc.text(line);
    doc.end();
  });
}

/** The invoice photographed: a PNG of the printed page. */
export function invoicePng(inv: Invoice): Promise<Buffer> {
  const lines = rows(inv);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1100" height="${lines.length * 36 + 60}"><rect width="100%" height="100%" fill="#fff"/>${lines
    .map(
      (l, i) =>
        `<text x="40" y="${50 + i * 36}" font-family="DejaVu Sans, sans-serif" font-size="24">${l.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`)}</text>`,
    )
    .join("")}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
