#!/usr/bin/env python3
"""swap-program.py BUNDLE FILE OUT [ENTRY] — copy a bundle with ENTRY
(default program.xml) replaced by the bytes of FILE and the manifest's size
and SHA-256 for it updated to match, so that only the XML layer can refuse
it.  The replaced entry is stored uncompressed, so that a very repetitive
hostile document is not refused earlier for its compression ratio.  With
ENTRY manifest.xml the manifest itself is replaced."""
import hashlib, re, sys, zipfile

src, new, out = sys.argv[1:4]
entry = sys.argv[4] if len(sys.argv) > 4 else 'program.xml'
data = open(new, 'rb').read()
with zipfile.ZipFile(src) as z:
    entries = [(i, z.read(i.filename)) for i in z.infolist()]
size, digest = len(data), hashlib.sha256(data).hexdigest()
with zipfile.ZipFile(out, 'w') as z:
    for info, body in entries:
        if info.filename == entry:
            body = data
            info.compress_type = zipfile.ZIP_STORED
        elif info.filename == 'manifest.xml':
            body = re.sub(rb'(<entry path="' + re.escape(entry.encode()) + rb'" )size="\d+" sha256="[0-9a-f]+"',
                          lambda m: m.group(1) + b'size="%d" sha256="%s"' % (size, digest.encode()),
                          body)
        z.writestr(info, body)
