// Bounds-checked, zero-copy access to flatbuffer data held in flash or RAM.
//
// Nothing here trusts the bytes: every offset is checked against the buffer
// before it is followed, and reads go through memcpy so a misaligned field is
// never dereferenced. An access that fails yields an "invalid" view (or the
// field's default), and Model::load() turns that into a readable error once,
// up front, so kernels never see a broken view.
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <string.h>

namespace kiln::model {

template <typename T>
inline T load_le(const uint8_t* p) {
  T v;
  memcpy(&v, p, sizeof(T));  // all supported targets are little-endian
  return v;
}

// The whole flatbuffer: the only thing every view carries.
struct Bytes {
  const uint8_t* data = nullptr;
  uint32_t size = 0;
  bool contains(uint32_t pos, uint32_t len) const {
    return pos <= size && len <= size - pos;
  }
};

enum class ViewState : uint8_t { kAbsent, kOk, kBroken };

// A vector of scalars: elements read by value, never by reference.
template <typename T>
class Vec {
 public:
  Vec() = default;
  Vec(const uint8_t* elems, uint32_t n, ViewState st) : elems_(elems), n_(n), state_(st) {}
  uint32_t size() const { return n_; }
  T operator[](uint32_t i) const { return i < n_ ? load_le<T>(elems_ + i * sizeof(T)) : T{}; }
  const uint8_t* bytes() const { return elems_; }
  bool ok() const { return state_ == ViewState::kOk; }
  bool present() const { return state_ != ViewState::kAbsent; }
  bool broken() const { return state_ == ViewState::kBroken; }
  // True when the elements may be read through a T* (alignment holds).
  bool aligned() const { return (reinterpret_cast<uintptr_t>(elems_) % alignof(T)) == 0; }

 private:
  const uint8_t* elems_ = nullptr;
  uint32_t n_ = 0;
  ViewState state_ = ViewState::kAbsent;
};

// A flatbuffer string: pointer + length, not NUL-terminated in general.
struct Str {
  const char* chars = nullptr;
  uint32_t len = 0;
  ViewState state = ViewState::kAbsent;
  bool ok() const { return state == ViewState::kOk; }
};

class Table;

// A vector of tables (offsets to tables).
class TableVec {
 public:
  TableVec() = default;
  TableVec(Bytes buf, uint32_t pos, uint32_t n, ViewState st) : buf_(buf), pos_(pos), n_(n), state_(st) {}
  uint32_t size() const { return n_; }
  Table at(uint32_t i) const;
  bool ok() const { return state_ == ViewState::kOk; }
  bool present() const { return state_ != ViewState::kAbsent; }
  bool broken() const { return state_ == ViewState::kBroken; }

 private:
  Bytes buf_;
  uint32_t pos_ = 0;  // position of the first element
  uint32_t n_ = 0;
  ViewState state_ = ViewState::kAbsent;
};

class Table {
 public:
  Table() = default;
  // Table whose root offset is stored at `pos` (a uoffset). Checks the table
  // and its vtable lie inside the buffer.
  static Table at_offset(Bytes buf, uint32_t pos);

  bool ok() const { return state_ == ViewState::kOk; }
  bool present() const { return state_ != ViewState::kAbsent; }
  bool broken() const { return state_ == ViewState::kBroken; }
  ViewState state() const { return state_; }

  // Scalars: the default when absent; also the default when the field would
  // not fit in the table (Model::load reports such tables as broken first).
  template <typename T>
  T scalar(uint32_t field, T dflt) const {
    uint32_t at = 0;
    return field_pos(field, sizeof(T), &at) ? load_le<T>(buf_.data + at) : dflt;
  }
  bool has(uint32_t field) const;
  Table table(uint32_t field) const;
  TableVec tables(uint32_t field) const;
  Str str(uint32_t field) const;
  template <typename T>
  Vec<T> vec(uint32_t field) const {
    const uint8_t* e = nullptr;
    uint32_t n = 0;
    ViewState st = vector_at(field, sizeof(T), &e, &n);
    return Vec<T>(e, n, st);
  }

 private:
  // Absolute position of a field's inline data if it is present and `len`
  // bytes of it fit inside the table.
  bool field_pos(uint32_t field, uint32_t len, uint32_t* out) const;
  // Follows a uoffset field to a vector: element pointer and count.
  ViewState vector_at(uint32_t field, uint32_t elem_size, const uint8_t** elems, uint32_t* n) const;
  // Follows a uoffset field; returns the absolute target position.
  ViewState follow(uint32_t field, uint32_t* target) const;

  Bytes buf_;
  uint32_t pos_ = 0;         // table start
  uint32_t vtable_ = 0;      // vtable start
  uint16_t vt_size_ = 0;     // bytes in the vtable
  uint16_t inline_size_ = 0; // bytes of the table's inline data
  ViewState state_ = ViewState::kAbsent;
};

}  // namespace kiln::model
