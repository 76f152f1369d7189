"""QR stickers on a Letter page, as a PDF written here: the QR matrix from PyQRCode (a Frappe
dependency, already on every site: frappe/twofactor.py draws its QR codes with it), the page as
vector squares and Helvetica text. No wkhtmltopdf, no browser, no network: a sheet prints from
any site (docs/decisions/0011-customer-portal.md). No Frappe import: plain pytest runs it."""

import pyqrcode

PAGE_W, PAGE_H = 612, 792  # US Letter, points
COLUMNS, ROWS = 3, 5
MARGIN_X, MARGIN_Y = 36, 36
QR_POINTS = 104  # the code's side, quiet zone included (~37 mm)
QUIET = 4  # modules of white around the code, as the standard asks
PER_PAGE = COLUMNS * ROWS


def qr_matrix(text: str) -> list[list[int]]:
	"""Rows of 1 (dark) / 0 (light), without the quiet zone; error correction M (15 %)."""
	return pyqrcode.create(text, error="M", mode="binary").code


def pdf_text(value: str) -> str:
	"""A PDF string literal in WinAnsi (Latin-1 for the letters a French label needs)."""
	raw = value.encode("cp1252", "replace").decode("latin-1")
	return "(" + raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def qr_drawing(matrix: list[list[int]], x: float, y: float, side: float) -> list[str]:
	"""The dark modules as filled rectangles, a run of dark modules in a row as one."""
	module = side / (len(matrix) + 2 * QUIET)
	ops = []
	for r, row in enumerate(matrix):
		c = 0
		while c < len(row):
			if not row[c]:
				c += 1
				continue
			start = c
			while c < len(row) and row[c]:
				c += 1
			left = x + (QUIET + start) * module
			top = y + side - (QUIET + r + 1) * module
			ops.append(f"{left:.3f} {top:.3f} {(c - start) * module:.3f} {module:.3f} re")
	return ["0 g", *ops, "f"]


def label_drawing(label: dict, x: float, y: float, w: float, h: float) -> list[str]:
	qr_x = x + (w - QR_POINTS) / 2
	qr_y = y + h - QR_POINTS - 4
	ops = qr_drawing(qr_matrix(label["url"]), qr_x, qr_y, QR_POINTS)
	lines = [label.get("title", ""), *label.get("lines", [])]
	for i, line in enumerate(lines):
		size = 9 if i == 0 else 7
		ops.append(f"BT /F1 {size} Tf {x + 6:.2f} {qr_y - 11 - i * 10:.2f} Td {pdf_text(line[:48])} Tj ET")
	# A light frame to cut along.
	ops.append(f"0.8 G 0.5 w {x:.2f} {y:.2f} {w:.2f} {h:.2f} re S")
	return ops


def page_content(labels: list[dict]) -> bytes:
	w = (PAGE_W - 2 * MARGIN_X) / COLUMNS
	h = (PAGE_H - 2 * MARGIN_Y) / ROWS
	ops = []
	for i, label in enumerate(labels):
		col, row = i % COLUMNS, i // COLUMNS
		ops += ["q", *label_drawing(label, MARGIN_X + col * w, PAGE_H - MARGIN_Y - (row + 1) * h, w, h), "Q"]
	return "\n".join(ops).encode("latin-1")


def sheet_pdf(labels: list[dict]) -> bytes:
	"""One label per equipment: {"url": ..., "title": ..., "lines": [...]}, 15 to a page."""
	pages = [labels[i : i + PER_PAGE] for i in range(0, len(labels), PER_PAGE)] or [[]]
	objects: list[bytes] = []  # object n is objects[n - 1]
	page_ids = [3 + 2 * i for i in range(len(pages))]
	font_id = 3 + 2 * len(pages)
	objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
	kids = " ".join(f"{p} 0 R" for p in page_ids)
	objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
	for page_id, page in zip(page_ids, pages, strict=True):
		content = page_content(page)
		objects.append(
			(
				f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
				f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {page_id + 1} 0 R >>"
			).encode()
		)
		objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
	objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets = []
	for n, body in enumerate(objects, start=1):
		offsets.append(len(out))
		out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
	xref = len(out)
	out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
	out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
	out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
	return bytes(out)
