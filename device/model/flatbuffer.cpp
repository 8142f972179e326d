#include "kiln/model/flatbuffer.h"

namespace kiln::model {

Table Table::at_offset(Bytes buf, uint32_t pos) {
  Table t;
  t.buf_ = buf;
  t.state_ = ViewState::kBroken;
  if (!buf.contains(pos, 4)) return t;
  const uint64_t table = static_cast<uint64_t>(pos) + load_le<uint32_t>(buf.data + pos);
  if (table > buf.size || !buf.contains(static_cast<uint32_t>(table), 4)) return t;
  const int64_t vtable = static_cast<int64_t>(table) - load_le<int32_t>(buf.data + table);
  if (vtable < 0 || vtable > buf.size || !buf.contains(static_cast<uint32_t>(vtable), 4)) return t;
  const uint16_t vt_size = load_le<uint16_t>(buf.data + vtable);
  const uint16_t inline_size = load_le<uint16_t>(buf.data + vtable + 2);
  if (vt_size < 4 || (vt_size & 1) != 0 || !buf.contains(static_cast<uint32_t>(vtable), vt_size)) {
    return t;
  }
  if (inline_size < 4 || !buf.contains(static_cast<uint32_t>(table), inline_size)) return t;
  t.pos_ = static_cast<uint32_t>(table);
  t.vtable_ = static_cast<uint32_t>(vtable);
  t.vt_size_ = vt_size;
  t.inline_size_ = inline_size;
  t.state_ = ViewState::kOk;
  return t;
}

bool Table::has(uint32_t field) const {
  if (state_ != ViewState::kOk) return false;
  const uint32_t slot = 4 + 2 * field;
  return slot + 2 <= vt_size_ && load_le<uint16_t>(buf_.data + vtable_ + slot) != 0;
}

bool Table::field_pos(uint32_t field, uint32_t len, uint32_t* out) const {
  if (!has(field)) return false;
  const uint32_t off = load_le<uint16_t>(buf_.data + vtable_ + 4 + 2 * field);
  if (off + len > inline_size_) return false;
  *out = pos_ + off;
  return true;
}

ViewState Table::follow(uint32_t field, uint32_t* target) const {
  if (!has(field)) return ViewState::kAbsent;
  uint32_t at = 0;
  if (!field_pos(field, 4, &at)) return ViewState::kBroken;
  const uint64_t dest = static_cast<uint64_t>(at) + load_le<uint32_t>(buf_.data + at);
  if (dest > buf_.size || !buf_.contains(static_cast<uint32_t>(dest), 4)) return ViewState::kBroken;
  *target = static_cast<uint32_t>(dest);
  return ViewState::kOk;
}

ViewState Table::vector_at(uint32_t field, uint32_t elem_size, const uint8_t** elems,
                           uint32_t* n) const {
  uint32_t dest = 0;
  const ViewState st = follow(field, &dest);
  if (st != ViewState::kOk) return st;
  const uint32_t count = load_le<uint32_t>(buf_.data + dest);
  const uint64_t bytes = static_cast<uint64_t>(count) * elem_size;
  if (bytes > buf_.size || !buf_.contains(dest + 4, static_cast<uint32_t>(bytes))) {
    return ViewState::kBroken;
  }
  *elems = buf_.data + dest + 4;
  *n = count;
  return ViewState::kOk;
}

Table Table::table(uint32_t field) const {
  if (!has(field)) return Table();
  uint32_t at = 0;
  if (!field_pos(field, 4, &at)) {
    Table broken;
    broken.state_ = ViewState::kBroken;
    return broken;
  }
  return at_offset(buf_, at);
}

TableVec Table::tables(uint32_t field) const {
  const uint8_t* elems = nullptr;
  uint32_t n = 0;
  const ViewState st = vector_at(field, 4, &elems, &n);
  if (st != ViewState::kOk) return TableVec(buf_, 0, 0, st);
  return TableVec(buf_, static_cast<uint32_t>(elems - buf_.data), n, st);
}

Str Table::str(uint32_t field) const {
  const uint8_t* chars = nullptr;
  uint32_t n = 0;
  Str s;
  s.state = vector_at(field, 1, &chars, &n);
  if (s.state == ViewState::kOk) {
    s.chars = reinterpret_cast<const char*>(chars);
    s.len = n;
  }
  return s;
}

Table TableVec::at(uint32_t i) const {
  if (state_ != ViewState::kOk || i >= n_) return Table();
  return Table::at_offset(buf_, pos_ + 4 * i);
}

}  // namespace kiln::model
