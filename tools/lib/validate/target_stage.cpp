#include "kiln/validate/target_stage.h"

#include <stdexcept>

#include "kiln/host/error.h"

namespace kiln::validate {

namespace {

class BoardTarget : public Int8Target {
 public:
  explicit BoardTarget(std::unique_ptr<target::TargetSession> s) : session_(std::move(s)) {}
  std::string describe() const override { return session_->describe(); }
  void load(const std::vector<uint8_t>& model) override {
    try {
      session_->load_model(model);
    } catch (const std::runtime_error& e) {
      host::fail(std::string("the target refused the int8 model: ") + e.what());
    }
  }
  Batch run(const Batch& inputs, const std::function<void(size_t, size_t)>& progress) override {
    try {
      // The session splits the batch into bulk flash images QEMU can load.
      Batch out = session_->run_batch(inputs, progress);
      stats_ = session_->last_stats();
      return out;
    } catch (const std::runtime_error& e) {
      host::fail(std::string("stage 3 on the target failed: ") + e.what());
    }
  }
  uint64_t instructions() override { return stats_.instret; }
  uint64_t cycles() override { return stats_.cycles; }

 private:
  std::unique_ptr<target::TargetSession> session_;
  target::InvokeStats stats_;
};

}  // namespace

std::unique_ptr<Int8Target> open_board(const target::SessionOptions& options) {
  try {
    return std::make_unique<BoardTarget>(target::TargetSession::open(options));
  } catch (const host::ToolError&) {
    throw;
  } catch (const std::runtime_error& e) {
    host::fail(std::string("cannot reach the board: ") + e.what());
  }
}

}  // namespace kiln::validate
