#!/usr/bin/env python3
"""mediagen.py FILE... -- write the smallest file of each media kind.

The kind follows FILE's extension (.png .jpg .jpeg .gif .webp .mp3 .m4a
.ogg .mp4 .webm .vtt), as in core/media.c: just enough of each format for
a type sniffer (libmagic) to recognise it, for tests that need media whose
bytes are what their names say.  Standard library only.
"""
import struct
import sys
import zlib


def png():
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    raw = b"\x00\xff\xff\xff"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def box(t, body):
    return struct.pack(">I", 8 + len(body)) + t + body


def ebml(eid, data):
    return eid + bytes([0x80 | len(data)]) + data


def ogg(data):
    return (b"OggS\x00\x02" + b"\x00" * 8 + struct.pack("<III", 1, 0, 0) +
            bytes([1, len(data)]) + data)


def make(ext):
    if ext == "png":
        return png()
    if ext in ("jpg", "jpeg"):
        return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
    if ext == "gif":
        return (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04"
                b"\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
    if ext == "webp":
        vp8l = b"VP8L" + struct.pack("<I", 5) + b"\x2f\x00\x00\x00\x00" + b"\x00"
        return b"RIFF" + struct.pack("<I", 4 + len(vp8l)) + b"WEBP" + vp8l
    if ext == "mp3":
        return b"ID3\x03\x00\x00\x00\x00\x00\x00" + (b"\xff\xfb\x90\x64" + b"\x00" * 413) * 3
    if ext == "m4a":
        return box(b"ftyp", b"M4A \x00\x00\x00\x00M4A mp42isom") + box(b"mdat", b"")
    if ext == "ogg":
        return ogg(b"\x01vorbis" + struct.pack("<IBIiii", 0, 1, 44100, 0, 128000, 0) + b"\xb8\x01")
    if ext == "mp4":
        return box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41") + box(b"mdat", b"")
    if ext == "webm":
        hdr = (ebml(b"\x42\x86", b"\x01") + ebml(b"\x42\xf7", b"\x01") + ebml(b"\x42\xf2", b"\x04") +
               ebml(b"\x42\xf3", b"\x08") + ebml(b"\x42\x82", b"webm") + ebml(b"\x42\x87", b"\x02") +
               ebml(b"\x42\x85", b"\x02"))
        return (b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(hdr)]) + hdr +
                b"\x18\x53\x80\x67\x01\x00\x00\x00\x00\x00\x00\x00")
    if ext == "vtt":
        return "WEBVTT\n\n00:00.000 --> 00:02.000\nHej\n".encode()
    sys.exit("mediagen: no media kind for '.%s'" % ext)


def main():
    for path in sys.argv[1:]:
        with open(path, "wb") as f:
            f.write(make(path.rsplit(".", 1)[-1]))


if __name__ == "__main__":
    main()
