/**
 * Just enough ELF to find sections and map virtual addresses to file offsets (System V ABI,
 * https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.eheader.html): 32/64-bit, either byte
 * order. Malformed input gives undefined, never an exception.
 */
export interface ElfSection {
  name: string;
  offset: number;
  size: number;
  addr: number;
}

export interface ElfSegment {
  vaddr: number;
  offset: number;
  filesz: number;
}

export interface ElfFile {
  is64: boolean;
  littleEndian: boolean;
  sections: ElfSection[];
  segments: ElfSegment[];
}

export const isElf = (b: Buffer) =>
  b.length >= 16 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;

export function parseElf(b: Buffer): ElfFile | undefined {
  if (!isElf(b) || b.length < 52) return undefined;
  const is64 = b[4] === 2;
  const littleEndian = b[5] === 1;
  const u16 = (at: number) => (littleEndian ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (at: number) => (littleEndian ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const addr = (at: number) =>
    is64 ? Number(littleEndian ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at)) : u32(at);
  try {
    const phoff = addr(is64 ? 32 : 28);
    const shoff = addr(is64 ? 40 : 32);
    const phentsize = u16(is64 ? 54 : 42);
    const phnum = u16(is64 ? 56 : 44);
    const shentsize = u16(is64 ? 58 : 46);
    const shnum = u16(is64 ? 60 : 48);
    const shstrndx = u16(is64 ? 62 : 50);
    const segments: ElfSegment[] = [];
    for (let i = 0; i < phnum; i++) {
      const at = phoff + i * phentsize;
      if (at + phentsize > b.length) break;
      if (u32(at) !== 1) continue; // PT_LOAD
      segments.push(
        is64
          ? { offset: addr(at + 8), vaddr: addr(at + 16), filesz: addr(at + 32) }
          : { offset: u32(at + 4), vaddr: u32(at + 8), filesz: u32(at + 16) },
      );
    }
    const raw: Array<{ nameOffset: number; offset: number; size: number; addr: number }> = [];
    if (shoff > 0 && shoff + shnum * shentsize <= b.length) {
      for (let i = 0; i < shnum; i++) {
        const at = shoff + i * shentsize;
        raw.push(
          is64
            ? { nameOffset: u32(at), addr: addr(at + 16), offset: addr(at + 24), size: addr(at + 32) }
            : { nameOffset: u32(at), addr: u32(at + 12), offset: u32(at + 16), size: u32(at + 20) },
        );
      }
    }
    const names = raw[shstrndx];
    const sections = raw.map((s) => {
      let name = "";
      if (names) {
        const start = names.offset + s.nameOffset;
        const end = b.indexOf(0, start);
        if (start < b.length && end > start) name = b.toString("latin1", start, end);
      }
      return { name, offset: s.offset, size: s.size, addr: s.addr };
    });
    return { is64, littleEndian, sections, segments };
  } catch {
    return undefined;
  }
}

export function sectionData(b: Buffer, elf: ElfFile, name: string): Buffer | undefined {
  const section = elf.sections.find((s) => s.name === name);
  if (!section || section.offset + section.size > b.length) return undefined;
  return b.subarray(section.offset, section.offset + section.size);
}

/** File offset of a virtual address, through the PT_LOAD segments. */
export function offsetOf(elf: ElfFile, vaddr: number): number | undefined {
  for (const s of elf.segments) {
    if (vaddr >= s.vaddr && vaddr < s.vaddr + s.filesz) return s.offset + (vaddr - s.vaddr);
  }
  return undefined;
}
