#!/usr/bin/env python3
"""Builds the hostile inputs of the resource-limit tests in OUT_DIR (standard library only).

    python3 scripts/make_hostile.py OUT_DIR [NAME...]

Each is small on disk and enormous in what it asks of a reader. They are made at run time, never
committed: scripts/limits.sh measures `vetted scan` on each, and tests/limits.rs checks that each
is refused or processed with a clear message.
"""

import os
import struct
import sys
import zipfile
import zlib

GIB = 1 << 30

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="word/document.xml"/></Relationships>'
)
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_skeleton(archive):
    archive.writestr("[Content_Types].xml", CONTENT_TYPES)
    archive.writestr("_rels/.rels", RELS)


def docx_bomb_1gib(path):
    """word/document.xml decompresses to 1 GiB: one paragraph followed by 1 GiB of spaces."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        docx_skeleton(archive)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b"<w:document " + W + b"><w:body><w:p><w:r><w:t>bomb</w:t></w:r></w:p>")
            block = b" " * (1 << 20)
            for _ in range(1024):
                part.write(block)
            part.write(b"</w:body></w:document>")


def docx_spread_1gib(path):
    """1 GiB spread over 128 parts, each within a plausible compression ratio (about 50:1), so
    only the total decompressed size can stop it."""
    chunk = bytearray()
    seed = 1
    while len(chunk) < (1 << 20):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        chunk += b"<w:t>%08x</w:t>" % seed + b" " * 300
    chunk = bytes(chunk[: 1 << 20])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        docx_skeleton(archive)
        archive.writestr("word/document.xml", b"<w:document " + W + b"><w:body><w:p/></w:body></w:document>")
        for i in range(128):
            with archive.open(f"customXml/item{i}.xml", "w", force_zip64=True) as part:
                for _ in range(8):
                    part.write(chunk)


def docx_deep_xml(path):
    """A body nested 100,000 elements deep, each with a pseudo-random id so that the part stays
    within a plausible compression ratio and only the depth limit can stop it."""
    depth = 100_000
    seed = 7
    opening = bytearray()
    for _ in range(depth):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        opening += b'<w:sdt w:id="%d">' % seed
    xml = b"<w:document " + W + b"><w:body>" + bytes(opening) + b"</w:sdt>" * depth + b"</w:body></w:document>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        docx_skeleton(archive)
        archive.writestr("word/document.xml", xml)


def pdf_file(objects, root=1):
    """A PDF with the numbered object bodies `objects` (1-based) and a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def stream(dictionary, data):
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


PAGE_FONT = b"/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"


def pdf_million_objects(path):
    """One page and 1,000,000 small objects: a million entries in the xref table."""
    count = 1_000_000
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << "
        + PAGE_FONT
        + b" >> >>",
        stream(b"", b"BT /F1 12 Tf 72 720 Td (a million objects) Tj ET"),
    ]
    objects += [b"[%d]" % i for i in range(count - len(objects))]
    with open(path, "wb") as f:
        f.write(pdf_file(objects))


def pdf_forms(path, depth, fan_out):
    """A page drawing form 1; form k draws form k+1 `fan_out` times. Fan-out 1 nests `depth`
    forms deep; fan-out 2 stays shallow but asks for 2^depth form draws (a "billion laughs"
    made of Form XObjects)."""
    first_form = 5
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /XObject << /X %d 0 R >> >> >>" % first_form,
        stream(b"", b"/X Do"),
    ]
    for level in range(depth):
        number = first_form + level
        last = level == depth - 1
        content = b"BT /F1 12 Tf 72 720 Td (deep) Tj ET" if last else b"/X Do " * fan_out
        resources = b"<< " + PAGE_FONT + b" >>" if last else b"<< /XObject << /X %d 0 R >> >>" % (number + 1)
        objects.append(stream(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources " + resources, content))
    with open(path, "wb") as f:
        f.write(pdf_file(objects))


def png(path, width, height):
    """A grey PNG of width x height pixels, all black: tiny on disk, huge decoded."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = b"\0" * (width + 1)  # filter byte + pixels
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def png_lying_header(path):
    """A PNG whose header claims 100,000 x 100,000 pixels (10 gigapixels) over a few bytes."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1000)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


# name -> (file name, builder, what it is). The order is the table's.
INPUTS = {
    "docx-bomb": ("docx-bomb-1gib.docx", docx_bomb_1gib, "DOCX, one part decompressing to 1 GiB"),
    "docx-spread": ("docx-spread-1gib.docx", docx_spread_1gib, "DOCX, 1 GiB over 128 parts at ~50:1"),
    "docx-deep": ("docx-deep-xml.docx", docx_deep_xml, "DOCX, XML nested 100,000 deep"),
    "pdf-million": ("pdf-million-objects.pdf", pdf_million_objects, "PDF, 1,000,000 objects"),
    "pdf-deep-forms": (
        "pdf-deep-forms.pdf",
        lambda p: pdf_forms(p, 10_000, 1),
        "PDF, Form XObjects nested 10,000 deep",
    ),
    "pdf-fanout-forms": (
        "pdf-fanout-forms.pdf",
        lambda p: pdf_forms(p, 40, 2),
        "PDF, 40 forms each drawing the next twice (2^40 draws)",
    ),
    "png-100mp": ("png-100mp.png", lambda p: png(p, 10_000, 10_000), "PNG, 10,000 x 10,000 (100 MP)"),
    "png-lying": ("png-lying-header.png", png_lying_header, "PNG, header claims 10 gigapixels"),
}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    names = sys.argv[2:] or list(INPUTS)
    os.makedirs(out_dir, exist_ok=True)
    for name in names:
        file_name, build, what = INPUTS[name]
        path = os.path.join(out_dir, file_name)
        if not os.path.exists(path):
            build(path)
        print(f"{name}\t{path}\t{what}")


if __name__ == "__main__":
    main()
