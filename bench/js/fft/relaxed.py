#!/usr/bin/env python3
"""Renumbers the relaxed-SIMD multiply-adds in a linked .wasm file from the
prototype opcodes that Clang 14 (Emscripten 3.1.6) emits to the final ones
of the relaxed-SIMD proposal, which is what engines accept:

    f32x4.fma 0xfd 0xaf -> f32x4.relaxed_madd  0xfd 0x105   (a b + c)
    f32x4.fms 0xfd 0xb0 -> f32x4.relaxed_nmadd 0xfd 0x106   (-(a b) + c)

Both are two-byte LEB128 opcodes, so the file keeps its length. The code
section is decoded instruction by instruction, so bytes inside immediates are
never touched; any other prototype relaxed opcode is an error (their
semantics changed, and nothing here renumbers them).

Usage: relaxed.py <in.wasm> <out.wasm>    prints how many were renumbered
"""
import sys

RENUMBER = {0xAF: 0x105, 0xB0: 0x106}
# The other opcodes Clang 14 gives relaxed SIMD, in gaps of the SIMD128
# numbering: swizzle, truncations, f64x2 fma/fms, lane selects, min/max.
OTHER_PROTOTYPE = {0xA2, 0xA5, 0xA6, 0xC5, 0xC6, 0xCF, 0xD0, 0xB2, 0xB3, 0xD2, 0xD3,
                   0xB4, 0xE2, 0xD4, 0xEE}
VALTYPES = {0x7F, 0x7E, 0x7D, 0x7C, 0x7B, 0x70, 0x6F}


class Reader:
    def __init__(self, data, pos=0):
        self.data, self.pos = data, pos

    def byte(self):
        b = self.data[self.pos]
        self.pos += 1
        return b

    def uleb(self):
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return result

    def skip(self, count):
        self.pos += count

    def memarg(self):
        self.uleb()
        self.uleb()


# Immediates of each opcode: "u" unsigned LEB128, "s" signed LEB128, "m" a
# memarg (two LEB128s), a number: that many bytes.
MVP = {0x0C: "u", 0x0D: "u", 0x10: "u", 0xD2: "u", 0x11: "uu", 0x41: "s", 0x42: "s",
       0x43: [4], 0x44: [8], 0x3F: [1], 0x40: [1], 0xD0: [1]}
MVP.update({op: "u" for op in range(0x20, 0x27)})  # locals, globals, tables
MVP.update({op: "m" for op in range(0x28, 0x3F)})  # loads and stores
BULK = {8: ["u", 1], 9: "u", 10: [2], 11: [1], 12: "uu", 13: "u", 14: "uu", 15: "u", 16: "u", 17: "u"}
SIMD = {op: "m" for op in [*range(0, 12), 0x5C, 0x5D]}  # loads, stores, load-zero
SIMD.update({12: [16], 13: [16]})  # v128.const, i8x16.shuffle
SIMD.update({op: [1] for op in range(21, 35)})  # extract / replace lane
SIMD.update({op: ["m", 1] for op in range(0x54, 0x5C)})  # load / store lane


def immediates(r, kinds):
    for kind in kinds:
        if kind == "u" or kind == "s":
            r.uleb()  # only skipped: the sign never matters here
        elif kind == "m":
            r.memarg()
        else:
            r.skip(kind)


def instruction(r, patched):
    op = r.byte()
    if op in (0x02, 0x03, 0x04):  # block, loop, if: block type
        if r.data[r.pos] == 0x40 or r.data[r.pos] in VALTYPES:
            r.skip(1)
        else:
            r.uleb()
    elif op == 0x0E:  # br_table
        for _ in range(r.uleb() + 1):
            r.uleb()
    elif op == 0x1C:  # select t*
        r.skip(r.uleb())
    elif op == 0xFC:
        immediates(r, BULK.get(r.uleb(), ""))
    elif op == 0xFE:  # atomics: fence has one byte, the rest a memarg
        immediates(r, [1] if r.uleb() == 0x03 else "m")
    elif op == 0xFD:
        start = r.pos
        sub = r.uleb()
        if sub in RENUMBER:
            assert r.pos - start == 2, "expected a two-byte opcode"
            new = RENUMBER[sub]
            r.data[start:start + 2] = bytes([0x80 | (new & 0x7F), new >> 7])
            patched[sub] = patched.get(sub, 0) + 1
        elif sub in OTHER_PROTOTYPE:
            raise SystemExit(f"relaxed.py: prototype SIMD opcode 0x{sub:x} at byte {start}: not renumbered")
        else:
            immediates(r, SIMD.get(sub, ""))
    else:
        immediates(r, MVP.get(op, ""))


def main(src, dst):
    data = bytearray(open(src, "rb").read())
    assert data[:8] == b"\0asm\1\0\0\0", f"{src} is not a wasm module"
    r = Reader(data, 8)
    patched = {}
    while r.pos < len(data):
        section, size = r.byte(), r.uleb()
        end = r.pos + size
        if section == 10:  # code
            for _ in range(r.uleb()):
                body_end = r.uleb() + r.pos
                for _ in range(r.uleb()):  # local declarations
                    r.uleb()
                    r.skip(1)
                while r.pos < body_end:
                    instruction(r, patched)
                assert r.pos == body_end, "function body decoded past its end"
        r.pos = end
    open(dst, "wb").write(data)
    print(f"relaxed.py: {patched.get(0xAF, 0)} relaxed_madd, {patched.get(0xB0, 0)} relaxed_nmadd")


if __name__ == "__main__":
    main(*sys.argv[1:3])
