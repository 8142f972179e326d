// IDX files (the MNIST family): magic 0x00 0x00 <type> <rank>, then `rank`
// big-endian uint32 dimensions, then the big-endian elements. gzip-compressed
// files are inflated with zlib.
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "kiln/host/error.h"
#include "kiln/host/file_io.h"
#include "readers.h"

namespace kiln::dataset::detail {

using host::fail;

namespace {

// Refuse to inflate beyond this: a corrupt or hostile .gz must not exhaust memory.
constexpr size_t kMaxInflatedBytes = size_t{1} << 31;

std::vector<uint8_t> gunzip(const std::vector<uint8_t>& in, const std::string& what) {
  z_stream zs;
  std::memset(&zs, 0, sizeof(zs));
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) fail(what + ": cannot start gzip decompression");
  std::vector<uint8_t> out;
  std::vector<uint8_t> chunk(1 << 16);
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = chunk.data();
    zs.avail_out = static_cast<uInt>(chunk.size());
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      const std::string reason = rc == Z_BUF_ERROR ? "the file is truncated"
                                                   : (zs.msg != nullptr ? zs.msg : "corrupt data");
      inflateEnd(&zs);
      fail(what + ": gzip decompression failed: " + reason);
    }
    out.insert(out.end(), chunk.data(), chunk.data() + (chunk.size() - zs.avail_out));
    if (out.size() > kMaxInflatedBytes) {
      inflateEnd(&zs);
      fail(what + ": decompressed data exceeds 2 GiB");
    }
  }
  inflateEnd(&zs);
  return out;
}

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

size_t type_size(uint8_t code) {
  switch (code) {
    case 0x08: case 0x09: return 1;
    case 0x0B: return 2;
    case 0x0C: case 0x0D: return 4;
    case 0x0E: return 8;
    default: return 0;
  }
}

const char* type_label(uint8_t code) {
  switch (code) {
    case 0x08: return "ubyte";
    case 0x09: return "byte";
    case 0x0B: return "short";
    case 0x0C: return "int";
    case 0x0D: return "float";
    case 0x0E: return "double";
    default: return "?";
  }
}

}  // namespace

std::vector<uint8_t> read_maybe_gzip(const std::string& path) {
  std::vector<uint8_t> bytes = host::read_file_bytes(path);
  if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) return gunzip(bytes, path);
  return bytes;
}

size_t IdxArray::item_elements() const {
  size_t n = 1;
  for (size_t i = 1; i < dims.size(); ++i) n *= dims[i];
  return n;
}

double IdxArray::value(size_t index) const {
  const size_t size = type_size(type_code);
  const uint8_t* p = raw.data() + data_offset + index * size;
  switch (type_code) {
    case 0x08: return p[0];
    case 0x09: return static_cast<int8_t>(p[0]);
    case 0x0B: return static_cast<int16_t>(static_cast<uint16_t>((p[0] << 8) | p[1]));
    case 0x0C: return static_cast<int32_t>(be32(p));
    case 0x0D: {
      const uint32_t u = be32(p);
      float f;
      std::memcpy(&f, &u, 4);
      return f;
    }
    default: {
      const uint64_t u = (uint64_t{be32(p)} << 32) | be32(p + 4);
      double d;
      std::memcpy(&d, &u, 8);
      return d;
    }
  }
}

IdxArray parse_idx(std::vector<uint8_t> bytes, const std::string& what) {
  if (bytes.size() < 4) fail(what + ": not an IDX file: " + std::to_string(bytes.size()) + " bytes, the header needs at least 4");
  if (bytes[0] != 0 || bytes[1] != 0) {
    fail(what + ": not an IDX file: wrong magic (first two bytes must be 0)");
  }
  IdxArray a;
  a.type_code = bytes[2];
  if (type_size(a.type_code) == 0) {
    char hex[8];
    std::snprintf(hex, sizeof(hex), "%02X", a.type_code);
    fail(what + ": IDX element type 0x" + hex + " is unknown (expected 08 ubyte, 09 byte, 0B short, 0C int, 0D float, 0E double)");
  }
  a.type_name = type_label(a.type_code);
  const uint32_t rank = bytes[3];
  if (rank == 0) fail(what + ": IDX rank is 0: no items");
  const size_t header = 4 + size_t{4} * rank;
  if (bytes.size() < header) {
    fail(what + ": truncated IDX header: " + std::to_string(rank) + " dimensions need " +
         std::to_string(header) + " bytes, the file has " + std::to_string(bytes.size()));
  }
  size_t count = 1;
  for (uint32_t i = 0; i < rank; ++i) {
    const uint32_t d = be32(&bytes[4 + 4 * i]);
    a.dims.push_back(d);
    if (d != 0 && count > (size_t{1} << 40) / d) fail(what + ": IDX dimensions are too large");
    count *= d;
  }
  const size_t expected = header + count * type_size(a.type_code);
  if (bytes.size() != expected) {
    fail(what + ": IDX size mismatch: header declares " + std::to_string(count) + " " + a.type_name +
         " elements (" + std::to_string(expected) + " bytes), the file has " + std::to_string(bytes.size()) +
         " bytes" + (bytes.size() < expected ? " (truncated)" : " (trailing data)"));
  }
  a.raw = std::move(bytes);
  a.data_offset = header;
  return a;
}

Dataset read_idx_images(const std::string& path, size_t limit, size_t* total) {
  const IdxArray a = parse_idx(read_maybe_gzip(path), path);
  Dataset ds;
  const size_t items = a.dims[0];
  if (total != nullptr) *total = items;
  const size_t n = limit == 0 ? items : std::min(items, limit);
  const size_t per = a.item_elements();
  for (size_t i = 1; i < a.dims.size(); ++i) ds.sample_shape.push_back(static_cast<int32_t>(a.dims[i]));
  ds.samples.resize(n);
  for (size_t s = 0; s < n; ++s) {
    auto& v = ds.samples[s];
    v.resize(per);
    for (size_t e = 0; e < per; ++e) v[e] = static_cast<float>(a.value(s * per + e));
  }
  std::string shape;
  for (size_t i = 1; i < a.dims.size(); ++i) shape += (i > 1 ? "x" : "") + std::to_string(a.dims[i]);
  const size_t slash = path.find_last_of('/');
  ds.description = "IDX " + (slash == std::string::npos ? path : path.substr(slash + 1)) + ": " +
                   std::to_string(n) + " x " + (shape.empty() ? "scalar" : shape) + " " + a.type_name;
  return ds;
}

}  // namespace kiln::dataset::detail
