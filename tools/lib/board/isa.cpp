#include "kiln/board/isa.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>

namespace kiln::board {

namespace {

// Canonical order of single-letter extensions (RISC-V unprivileged spec, ch. 27).
constexpr const char* kSingleOrder = "mafdqlcbkjtpvh";

// Multi-letter extensions known to the ISA specification, and whether GCC 12.2
// accepts them in -march. Unknown names are an error; known-but-untargetable
// ones are reported.
struct Known {
  const char* name;
  bool gcc12;
};
constexpr Known kKnownMulti[] = {
    {"zicsr", true},    {"zifencei", true}, {"zihintpause", true}, {"zicbom", true},  {"zicbop", true},
    {"zicboz", true},   {"zicntr", false},  {"zihpm", false},      {"zicond", false}, {"zawrs", false},
    {"zmmul", true},    {"zfh", true},      {"zfhmin", true},      {"zfinx", true},   {"zdinx", true},
    {"zhinx", true},    {"zhinxmin", true}, {"zba", true},         {"zbb", true},     {"zbc", true},
    {"zbs", true},      {"zbkb", true},     {"zbkc", true},        {"zbkx", true},    {"zk", true},
    {"zkn", true},      {"zks", true},      {"zkt", true},         {"zknd", true},    {"zkne", true},
    {"zknh", true},     {"zksed", true},    {"zksh", true},        {"zkr", true},     {"zca", false},
    {"zcb", false},     {"zcf", false},     {"zcd", false},        {"zcmp", false},   {"zcmt", false},
    {"zve32x", true},   {"zve32f", true},   {"zve64x", true},      {"zve64f", true},  {"zve64d", true},
    {"zvl32b", true},   {"zvl64b", true},   {"zvl128b", true},     {"zvl256b", true}, {"zvl512b", true},
    {"zvfh", false},    {"zvbb", false},    {"zvkn", false},       {"zfa", false},    {"svinval", false},
    {"svnapot", false}, {"svpbmt", false},  {"smaia", false},      {"ssaia", false},  {"sstc", false},
    {"sscofpmf", false},
};

const Known* find_known(const std::string& name) {
  for (const Known& k : kKnownMulti)
    if (name == k.name) return &k;
  return nullptr;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Drops a trailing version ("2p0", "1") from an extension name.
std::string strip_version(const std::string& name) {
  size_t end = name.size();
  while (end > 0 && (std::isdigit(static_cast<unsigned char>(name[end - 1])) || name[end - 1] == 'p')) {
    // "zvl128b" ends in a letter, so only true version suffixes are digits/p at the end.
    --end;
  }
  if (end == name.size() || end == 0) return name;
  const std::string tail = name.substr(end);
  if (!std::isdigit(static_cast<unsigned char>(tail[0]))) return name;  // "...p" alone is part of the name
  return name.substr(0, end);
}

// Sort key: single letters by canonical order, then z* by the category letter
// after 'z' (same order), then s*, then x*, alphabetical within a group.
std::pair<int, std::string> order_key(const std::string& ext) {
  auto single_rank = [](char c) {
    const char* p = std::strchr(kSingleOrder, c);
    return p ? static_cast<int>(p - kSingleOrder) : 50;
  };
  if (ext.size() == 1) return {single_rank(ext[0]), ext};
  if (ext[0] == 'z') {
    const int cat = ext[1] == 'i' ? -1 : single_rank(ext[1]);
    return {100 + cat, ext};
  }
  if (ext[0] == 's') return {200, ext};
  return {300, ext};
}

void add_extension(Isa& isa, std::set<std::string>& seen, std::string ext, const std::string& where) {
  ext = lower(ext);
  if (ext.empty()) throw BoardError("empty extension in ISA " + where);
  for (char c : ext) {
    if (!std::isalnum(static_cast<unsigned char>(c)))
      throw BoardError("malformed extension '" + ext + "' in ISA " + where);
  }
  if (ext.size() > 1) ext = strip_version(ext);
  if (ext == "i" || ext == "e") return;  // the base
  if (ext == "g") {
    for (const char* e : {"m", "a", "f", "d", "zicsr", "zifencei"}) add_extension(isa, seen, e, where);
    return;
  }
  if (ext.size() == 1) {
    if (!std::strchr(kSingleOrder, ext[0]) || ext == "l" || ext == "t")
      throw BoardError("unknown ISA extension '" + ext + "' in " + where);
  } else if (ext[0] == 'x') {
    // Vendor extension: accepted, never targetable by a generic toolchain.
  } else if (!find_known(ext)) {
    throw BoardError("unknown ISA extension '" + ext + "' in " + where);
  }
  if (seen.insert(ext).second) isa.extensions.push_back(ext);
}

void finish(Isa& isa) {
  std::sort(isa.extensions.begin(), isa.extensions.end(),
            [](const std::string& a, const std::string& b) { return order_key(a) < order_key(b); });
  if (isa.has("d") && !isa.has("f")) throw BoardError("ISA " + isa.to_string() + ": 'd' requires 'f'");
  if (isa.base == 'e' && isa.has("f")) {
    throw BoardError("ISA " + isa.to_string() + ": the E base has no floating-point registers");
  }
}

void parse_base(Isa& isa, const std::string& text, const std::string& where) {
  const std::string b = lower(text);
  if (b.size() < 5 || b.compare(0, 2, "rv") != 0) {
    throw BoardError("malformed ISA " + where + ": must start with rv32 or rv64 and the base letter (e.g. rv32i)");
  }
  const std::string xlen = b.substr(2, 2);
  if (xlen != "32" && xlen != "64") throw BoardError("unsupported XLEN in ISA " + where + ": rv" + xlen);
  isa.xlen = xlen == "32" ? 32 : 64;
  const char base = b[4];
  if (base != 'i' && base != 'e' && base != 'g') {
    throw BoardError("malformed ISA " + where + ": base must be i, e or g, got '" + std::string(1, base) + "'");
  }
  isa.base = base == 'e' ? 'e' : 'i';
}

}  // namespace

bool Isa::has(const std::string& ext) const {
  return std::find(extensions.begin(), extensions.end(), ext) != extensions.end();
}

std::string Isa::to_string() const {
  std::string s = "rv" + std::to_string(xlen) + std::string(1, base);
  for (const std::string& e : extensions) s += e.size() == 1 ? e : "_" + e;
  return s;
}

Isa parse_isa(const std::string& base, const std::vector<std::string>& extensions) {
  const std::string where = "riscv,isa-base \"" + base + "\"";
  Isa isa;
  parse_base(isa, base, where);
  if (base.size() != 5) throw BoardError("malformed " + where + ": expected rv32i, rv32e or rv64i");
  std::set<std::string> seen;
  for (const std::string& e : extensions) add_extension(isa, seen, e, "riscv,isa-extensions");
  finish(isa);
  return isa;
}

Isa parse_isa_string(const std::string& text) {
  const std::string where = "\"" + text + "\"";
  Isa isa;
  parse_base(isa, text, where);
  std::set<std::string> seen;
  if (lower(text)[4] == 'g') add_extension(isa, seen, "g", where);
  const std::string rest = lower(text).substr(5);
  // Single letters run up to the first '_' or multi-letter prefix (z, s, x).
  size_t pos = 0;
  while (pos < rest.size() && rest[pos] != '_' && rest[pos] != 'z' && rest[pos] != 's' && rest[pos] != 'x') {
    const char c = rest[pos++];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == 'p') {
      if (c == 'p' && (pos >= rest.size() || !std::isdigit(static_cast<unsigned char>(rest[pos])))) {
        add_extension(isa, seen, "p", where);
      }
      continue;  // version numbers such as 2p1
    }
    add_extension(isa, seen, std::string(1, c), where);
  }
  while (pos < rest.size()) {
    if (rest[pos] == '_') {
      ++pos;
      continue;
    }
    const size_t end = rest.find('_', pos);
    const std::string ext = rest.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (ext.size() < 2) throw BoardError("malformed ISA " + where + ": stray '" + ext + "'");
    add_extension(isa, seen, ext, where);
    pos = end == std::string::npos ? rest.size() : end;
  }
  finish(isa);
  return isa;
}

Target derive_target(const Isa& isa) {
  Target t;
  t.march = "rv" + std::to_string(isa.xlen) + std::string(1, isa.base);
  t.multilib_march = t.march;
  for (const std::string& e : isa.extensions) {
    if (e.size() == 1) {
      // GCC 12 knows the ratified single letters it implements; b, k, j, t, p, h are not among them.
      if (std::strchr("mafdqcv", e[0])) {
        t.march += e;
        t.multilib_march += e;
      } else {
        t.untargetable.push_back(e);
      }
      continue;
    }
    const Known* k = find_known(e);
    if (k != nullptr && k->gcc12) {
      t.march += "_" + e;
    } else {
      t.untargetable.push_back(e);
    }
  }
  const bool d = isa.has("d"), f = isa.has("f");
  if (isa.xlen == 32) {
    t.mabi = isa.base == 'e' ? "ilp32e" : d ? "ilp32d" : f ? "ilp32f" : "ilp32";
  } else {
    t.mabi = d ? "lp64d" : f ? "lp64f" : "lp64";
  }
  return t;
}

}  // namespace kiln::board
