// The orders in which the planner places buffers.
#include "plan_internal.h"

namespace kiln::memory::detail {
namespace {

uint32_t saturating_add(uint32_t a, uint64_t b) {
  const uint64_t sum = a + b;
  return sum > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(sum);
}

// aux[i] = the most bytes alive at any op during buffer i's lifetime. Live
// bytes only rise where some buffer starts, so only those ops are checked;
// their live sums are parked in `live_at_start` first.
void compute_pressure(const Problem& p, uint32_t* live_at_start, uint32_t* aux) {
  for (uint32_t j = 0; j < p.count; ++j) {
    live_at_start[j] =
        saturating_add(0, live_bytes_at(p.requests, p.count, p.align, p.requests[j].first_use));
  }
  for (uint32_t i = 0; i < p.count; ++i) {
    uint32_t most = live_at_start[i];
    for (uint32_t j = 0; j < p.count; ++j) {
      if (alive_at(p.requests[i], p.requests[j].first_use) && live_at_start[j] > most) {
        most = live_at_start[j];
      }
    }
    aux[i] = most;
  }
}

// aux[i] = bytes of all buffers that share at least one op with buffer i.
void compute_conflict(const Problem& p, uint32_t* aux) {
  for (uint32_t i = 0; i < p.count; ++i) {
    uint32_t bytes = 0;
    for (uint32_t j = 0; j < p.count; ++j) {
      if (lifetimes_overlap(p.requests[i], p.requests[j])) {
        bytes = saturating_add(bytes, aligned_size(p.requests[j].size, p.align));
      }
    }
    aux[i] = bytes;
  }
}

struct Key {
  uint64_t primary;
  uint32_t secondary;
};

struct Sorter {
  const Problem& p;
  Order order;
  const uint32_t* aux;

  Key key(uint32_t id) const {
    const BufferRequest& r = p.requests[id];
    const uint32_t size = aligned_size(r.size, p.align);
    const uint32_t span = static_cast<uint32_t>(r.last_use - r.first_use) + 1;
    switch (order) {
      case Order::kSize: return Key{size, 0};
      case Order::kArea: return Key{static_cast<uint64_t>(size) * span, size};
      case Order::kLifetime: return Key{span, size};
      case Order::kPressure:
      case Order::kConflict: return Key{aux[id], size};
      case Order::kFirstUse: return Key{static_cast<uint64_t>(UINT16_MAX - r.first_use), size};
      case Order::kLastUse: return Key{r.last_use, size};
    }
    return Key{size, 0};
  }

  // True when `a` is placed before `b`: the larger key first.
  bool before(uint32_t a, uint32_t b) const {
    const Key ka = key(a);
    const Key kb = key(b);
    if (ka.primary != kb.primary) return ka.primary > kb.primary;
    if (ka.secondary != kb.secondary) return ka.secondary > kb.secondary;
    return a < b;
  }

  // Heap sort: iterative, O(n log n), in place. The heap's root is the
  // buffer placed last.
  void sift_down(uint32_t* ids, uint32_t root, uint32_t n) const {
    for (;;) {
      uint32_t child = 2 * root + 1;
      if (child >= n) return;
      if (child + 1 < n && before(ids[child], ids[child + 1])) ++child;
      if (!before(ids[root], ids[child])) return;
      const uint32_t t = ids[root];
      ids[root] = ids[child];
      ids[child] = t;
      root = child;
    }
  }

  void sort(uint32_t* ids) const {
    const uint32_t n = p.count;
    for (uint32_t i = 0; i < n; ++i) ids[i] = i;
    for (uint32_t start = n / 2; start-- > 0;) sift_down(ids, start, n);
    for (uint32_t end = n; end-- > 1;) {
      const uint32_t t = ids[0];
      ids[0] = ids[end];
      ids[end] = t;
      sift_down(ids, 0, end);
    }
  }
};

}  // namespace

void sort_buffers(const Problem& p, Order order, const Scratch& s) {
  if (order == Order::kPressure) compute_pressure(p, s.trial, s.aux);
  if (order == Order::kConflict) compute_conflict(p, s.aux);
  Sorter{p, order, s.aux}.sort(s.order);
}

void perturb_order(uint32_t* ids, uint32_t count, uint32_t* state) {
  if (count < 2) return;
  const uint32_t swaps = 1 + count / 8;
  for (uint32_t k = 0; k < swaps; ++k) {
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    const uint32_t i = x % (count - 1);
    const uint32_t t = ids[i];
    ids[i] = ids[i + 1];
    ids[i + 1] = t;
  }
}

}  // namespace kiln::memory::detail
