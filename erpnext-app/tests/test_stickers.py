"""The QR sticker sheet: a PDF written by hand around PyQRCode's matrix (gigafibre_fsm/stickers.py)."""

import re

from gigafibre_fsm.stickers import PER_PAGE, pdf_text, qr_matrix, sheet_pdf

URL = "https://portal.example.com/q/0123456789abcdef0123456789abcdef"


def label(i: int) -> dict:
	return {"url": f"{URL[:-4]}{i:04d}", "title": f"ONT TPLK{i:06d}", "lines": ["Scannez-moi (aide)"]}


def test_the_matrix_is_a_qr_code_for_the_url():
	m = qr_matrix(URL)
	assert len(m) == 33 and all(len(row) == 33 for row in m)  # version 4 at level M
	finder = [row[:7] for row in m[:7]]  # the top-left finder pattern: a ring around a 3x3 block
	assert finder[0] == [1] * 7 and finder[6] == [1] * 7
	assert finder[3] == [1, 0, 1, 1, 1, 0, 1]


def test_every_xref_offset_points_at_its_object():
	pdf = sheet_pdf([label(i) for i in range(PER_PAGE + 2)])
	assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
	start = int(re.search(rb"startxref\n(\d+)", pdf)[1])
	assert pdf[start:].startswith(b"xref\n")
	offsets = [int(o) for o in re.findall(rb"(\d{10}) 00000 n ", pdf[start:])]
	assert offsets
	for n, offset in enumerate(offsets, start=1):
		assert pdf[offset:].startswith(b"%d 0 obj" % n)


def test_fifteen_labels_a_page_each_with_its_code_and_title():
	pdf = sheet_pdf([label(i) for i in range(PER_PAGE + 2)])
	assert b"/Count 2" in pdf
	assert pdf.count(b"/Type /Page ") == 2
	for i in range(PER_PAGE + 2):
		assert f"(ONT TPLK{i:06d})".encode() in pdf
	streams = re.findall(rb"stream\n(.*?)\nendstream", pdf, re.S)
	assert [s.count(b"0.8 G") for s in streams] == [PER_PAGE, 2]  # one cutting frame per label


def test_text_is_escaped_and_latin():
	assert pdf_text("Aide (été) \\") == "(Aide \\(\xe9t\xe9\\) \\\\)"
	assert pdf_text("ok ✓") == "(ok ?)"
