#!/usr/bin/env python3
"""bundlecraft.py IN OUT OP [ARGS...] -- make a hostile or damaged bundle.

Reads the valid bundle IN, applies one operation, writes OUT.  Used by
tests/t03xx to check that `stegc verify` refuses each kind of bad bundle
(docs/bundle-format.md, "What verify refuses").  Standard library only.

Operations (NAME is an entry name; the manifest is kept as it was unless
the operation says otherwise):
  add NAME TEXT          add an entry the manifest does not list
  dup NAME               add a second entry called NAME (same bytes)
  symlink NAME TARGET    add NAME as a symbolic link to TARGET
  drop NAME              remove NAME from the zip
  flip NAME              change one byte of NAME (same size)
  grow NAME              append a byte to NAME
  manifest-size NAME N   make the manifest say NAME has N bytes
  method NAME bzip2|lzma recompress NAME with that method
  encrypt NAME           set the "encrypted" flag of NAME
  crc NAME               damage NAME's CRC-32 in both headers
  bomb NAME SIZE         add NAME: SIZE zero bytes, deflated, but declared
                         (zip headers and manifest) as 100 bytes
  honest-bomb NAME SIZE  add NAME: SIZE zero bytes, declared as such, listed
                         in the manifest
  manifest FILE          replace manifest.xml by FILE's bytes
  msub OLD NEW           replace the text OLD by NEW in manifest.xml
  put NAME FILE          replace NAME by FILE's bytes and update the
                         manifest's size and SHA-256 to match
  list NAME FILE         add NAME with FILE's bytes and list it in the
                         manifest (stored under media/, else deflated)
  many N                 add N small unlisted entries
  signature FILE         set manifest.xml.minisig to FILE's bytes (the
                         second entry), to sign a crafted manifest again
  truncate N             keep only the first N bytes of the file
"""
import hashlib
import re
import struct
import sys
import zipfile

EPOCH = (1980, 1, 1, 0, 0, 0)


def read(path):
    z = zipfile.ZipFile(path)
    ents = []
    for i in z.infolist():
        ents.append({"name": i.filename, "data": z.read(i.filename),
                     "method": i.compress_type, "attr": i.external_attr})
    return ents


def info(name, method, attr=(0o100644 << 16)):
    zi = zipfile.ZipInfo(name, EPOCH)
    zi.compress_type = method
    zi.external_attr = attr
    zi.create_system = 3
    return zi


def write(path, ents):
    with zipfile.ZipFile(path, "w") as z:
        for e in ents:
            z.writestr(info(e["name"], e["method"], e["attr"]), e["data"])


def manifest_set(ents, name, size=None, sha=None, add=False):
    m = [e for e in ents if e["name"] == "manifest.xml"][0]
    xml = m["data"].decode()
    if add:
        line = '    <entry path="%s" size="%d" sha256="%s"/>\n' % (name, size, sha)
        xml = xml.replace("  </entries>", line + "  </entries>")
    else:
        pat = re.compile(r'(<entry path="%s" size=")(\d+)(" sha256=")([0-9a-f]+)' % re.escape(name))
        def rep(mo):
            return mo.group(1) + str(size if size is not None else mo.group(2)) + \
                mo.group(3) + (sha if sha is not None else mo.group(4))
        xml = pat.sub(rep, xml)
    m["data"] = xml.encode()


def headers(buf, name):
    """Offsets of NAME's local header and central directory header."""
    nb = name.encode()
    loc = cen = None
    for mo in re.finditer(re.escape(b"PK\x03\x04"), buf):
        o = mo.start()
        n, x = struct.unpack_from("<HH", buf, o + 26)
        if buf[o + 30:o + 30 + n] == nb:
            loc = o
            break
    for mo in re.finditer(re.escape(b"PK\x01\x02"), buf):
        o = mo.start()
        n = struct.unpack_from("<H", buf, o + 28)[0]
        if buf[o + 46:o + 46 + n] == nb:
            cen = o
    return loc, cen


def main():
    src, out, op = sys.argv[1], sys.argv[2], sys.argv[3]
    a = sys.argv[4:]
    ents = read(src)
    post = None
    if op == "add":
        ents.append({"name": a[0], "data": a[1].encode(), "method": zipfile.ZIP_DEFLATED,
                     "attr": 0o100644 << 16})
    elif op == "dup":
        e = [e for e in ents if e["name"] == a[0]][0]
        ents.append(dict(e))
    elif op == "symlink":
        ents.append({"name": a[0], "data": a[1].encode(), "method": zipfile.ZIP_STORED,
                     "attr": 0o120777 << 16})
    elif op == "drop":
        ents = [e for e in ents if e["name"] != a[0]]
    elif op in ("flip", "grow"):
        e = [e for e in ents if e["name"] == a[0]][0]
        d = bytearray(e["data"])
        if op == "flip":
            d[len(d) // 2] ^= 0x20
        else:
            d += b"\n"
        e["data"] = bytes(d)
    elif op == "manifest-size":
        manifest_set(ents, a[0], size=int(a[1]))
    elif op == "method":
        e = [e for e in ents if e["name"] == a[0]][0]
        e["method"] = {"bzip2": zipfile.ZIP_BZIP2, "lzma": zipfile.ZIP_LZMA}[a[1]]
    elif op == "encrypt":
        def post(buf):
            loc, cen = headers(buf, a[0])
            for o, off in ((loc, 6), (cen, 8)):
                f = struct.unpack_from("<H", buf, o + off)[0]
                struct.pack_into("<H", buf, o + off, f | 1)
    elif op == "crc":
        def post(buf):
            loc, cen = headers(buf, a[0])
            for o, off in ((loc, 14), (cen, 16)):
                c = struct.unpack_from("<I", buf, o + off)[0]
                struct.pack_into("<I", buf, o + off, c ^ 0xdeadbeef)
    elif op in ("bomb", "honest-bomb"):
        size = int(a[1])
        data = b"\0" * size
        ents.append({"name": a[0], "data": data, "method": zipfile.ZIP_DEFLATED,
                     "attr": 0o100644 << 16})
        if op == "honest-bomb":
            manifest_set(ents, a[0], size, hashlib.sha256(data).hexdigest(), add=True)
        else:
            manifest_set(ents, a[0], 100, hashlib.sha256(b"\0" * 100).hexdigest(), add=True)
            def post(buf):
                loc, cen = headers(buf, a[0])
                struct.pack_into("<I", buf, loc + 22, 100)
                struct.pack_into("<I", buf, cen + 24, 100)
    elif op == "manifest":
        m = [e for e in ents if e["name"] == "manifest.xml"][0]
        m["data"] = open(a[0], "rb").read()
    elif op == "msub":
        m = [e for e in ents if e["name"] == "manifest.xml"][0]
        m["data"] = m["data"].replace(a[0].encode(), a[1].encode())
    elif op == "put":
        e = [e for e in ents if e["name"] == a[0]][0]
        e["data"] = open(a[1], "rb").read()
        manifest_set(ents, a[0], len(e["data"]), hashlib.sha256(e["data"]).hexdigest())
    elif op == "list":
        data = open(a[1], "rb").read()
        ents.append({"name": a[0], "data": data,
                     "method": zipfile.ZIP_STORED if a[0].startswith("media/") else zipfile.ZIP_DEFLATED,
                     "attr": 0o100644 << 16})
        manifest_set(ents, a[0], len(data), hashlib.sha256(data).hexdigest(), add=True)
    elif op == "signature":
        ents = [e for e in ents if e["name"] != "manifest.xml.minisig"]
        ents.insert(1, {"name": "manifest.xml.minisig", "data": open(a[0], "rb").read(),
                        "method": zipfile.ZIP_DEFLATED, "attr": 0o100644 << 16})
    elif op == "many":
        for i in range(int(a[0])):
            ents.append({"name": "media/f%05d.txt" % i, "data": b"x",
                         "method": zipfile.ZIP_STORED, "attr": 0o100644 << 16})
    elif op == "truncate":
        pass
    else:
        sys.exit("unknown operation " + op)
    write(out, ents)
    if op == "truncate":
        buf = open(out, "rb").read()[:int(a[0])]
        open(out, "wb").write(buf)
    if post:
        buf = bytearray(open(out, "rb").read())
        post(buf)
        open(out, "wb").write(bytes(buf))


if __name__ == "__main__":
    main()
