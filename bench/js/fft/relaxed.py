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

    def sleb(self):
        self.uleb()  # only skipped: the value is never needed

    def skip(self, count):
        self.pos += count

    def memarg(self):
        self.uleb()
        self.uleb()


def simd_immediates(r, op):
    if op <= 11 or op in (0x5C, 0x5D):  # loads, stores, load-zero
        r.memarg()
    elif op in (12, 13):  # v128.const, i8x16.shuffle
        r.skip(16)
    elif 21 <= op <= 34:  # extract / replace lane
        r.skip(1)
    elif 0x54 <= op <= 0x5B:  # load / store lane
        r.memarg()
        r.skip(1)


def instruction(r, patched):
    op = r.byte()
    if op in (0x02, 0x03, 0x04):  # block, loop, if: block type
        if r.data[r.pos] == 0x40 or r.data[r.pos] in VALTYPES:
            r.skip(1)
        else:
            r.sleb()
    elif op in (0x0C, 0x0D, 0x10, 0xD2) or 0x20 <= op <= 0x26:
        r.uleb()
    elif op == 0x0E:  # br_table
        for _ in range(r.uleb() + 1):
            r.uleb()
    elif op == 0x11:  # call_indirect
        r.uleb()
        r.uleb()
    elif op == 0x1C:  # select t*
        r.skip(r.uleb())
    elif 0x28 <= op <= 0x3E:
        r.memarg()
    elif op in (0x3F, 0x40, 0xD0):
        r.skip(1)
    elif op in (0x41, 0x42):
        r.sleb()
    elif op == 0x43:
        r.skip(4)
    elif op == 0x44:
        r.skip(8)
    elif op == 0xFC:
        sub = r.uleb()
        if sub in (8, 12, 14):
            r.uleb()
            r.uleb() if sub != 8 else r.skip(1)
        elif sub in (9, 13, 15, 16, 17):
            r.uleb()
        elif sub == 10:
            r.skip(2)
        elif sub == 11:
            r.skip(1)
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
            simd_immediates(r, sub)
    elif op == 0xFE:  # atomics
        sub = r.uleb()
        r.skip(1) if sub == 0x03 else r.memarg()


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
