#include "transport.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace kiln::target {

namespace {

void write_all(int fd, const uint8_t* data, size_t size, const std::string& what) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, 1000);
      continue;
    }
    if (n <= 0) throw std::runtime_error("write to " + what + " failed: " + std::strerror(errno));
    data += n;
    size -= static_cast<size_t>(n);
  }
}

size_t read_some(int fd, uint8_t* data, size_t size, int timeout_ms, const std::string& what) {
  pollfd p{fd, POLLIN, 0};
  int r = 0;
  do r = ::poll(&p, 1, timeout_ms);
  while (r < 0 && errno == EINTR);
  if (r <= 0) return 0;
  const ssize_t n = ::read(fd, data, size);
  if (n == 0) throw std::runtime_error(what + " closed the link");
  if (n < 0) return errno == EAGAIN || errno == EINTR ? 0 : throw std::runtime_error("read from " + what + " failed");
  return static_cast<size_t>(n);
}

const char* icount_option() {
  const char* env = std::getenv("KILN_QEMU_ICOUNT");
  return env != nullptr ? env : "shift=0";
}

class QemuTransport : public Transport {
 public:
  explicit QemuTransport(const QemuOptions& o) {
    int to_child[2], from_child[2];
    if (pipe(to_child) != 0 || pipe(from_child) != 0) throw std::runtime_error("pipe failed");
    const std::string mem = std::to_string(o.ram_bytes / 1024) + "K";
    std::vector<std::string> args = {o.system, "-machine", o.machine, "-bios", "none", "-display", "none",
                                     "-monitor", "none", "-serial", "stdio", "-m", mem, "-kernel", o.firmware};
    if (o.icount) args.insert(args.end(), {"-icount", icount_option()});
    if (!o.bulk_flash.empty()) {
      std::string file;  // QEMU option values escape ',' as ",,"
      for (char c : o.bulk_flash) file += c == ',' ? std::string(",,") : std::string(1, c);
      // Loaded into the (drive-less) pflash bank 0 at reset. A real -drive
      // would do too, but QEMU 7.2 then boots from flash (bank 0) or ignores
      // -kernel (bank 1), and with -icount its block layer can starve the
      // serial console.
      args.insert(args.end(), {"-device", "loader,file=" + file + ",addr=0x20000000,force-raw=on"});
    }
    describe_ = "";
    for (const auto& a : args) describe_ += (describe_.empty() ? "" : " ") + a;
    err_ = stderr_file();
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // no orphaned QEMU spinning if kiln is killed
      dup2(to_child[0], 0);
      dup2(from_child[1], 1);
      if (err_ >= 0) dup2(err_, 2);
      close(to_child[1]);
      close(from_child[0]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execvp(argv[0], argv.data());
      _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    in_ = to_child[1];
    out_ = from_child[0];
    fcntl(in_, F_SETFL, fcntl(in_, F_GETFL) | O_NONBLOCK);
    signal(SIGPIPE, SIG_IGN);
  }
  ~QemuTransport() override {
    close(in_);
    close(out_);
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    if (err_ >= 0) close(err_);
  }
  void write(const uint8_t* data, size_t size) override { write_all(in_, data, size, "QEMU"); }
  size_t read(uint8_t* data, size_t size, int timeout_ms) override {
    try {
      return read_some(out_, data, size, timeout_ms, "QEMU (" + describe_ + ")");
    } catch (const std::runtime_error& e) {
      // QEMU exited: what it said on stderr is the useful part.
      const std::string said = qemu_said();
      if (said.empty()) throw;
      throw std::runtime_error(std::string(e.what()) + ": " + said);
    }
  }
  std::string describe() const override { return describe_; }

 private:
  // An unlinked temporary file for QEMU's stderr (-1 if none can be made).
  static int stderr_file() {
    const char* tmp = std::getenv("TMPDIR");
    std::string path = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/kiln-qemu-stderr-XXXXXX";
    const int fd = mkstemp(path.data());
    if (fd >= 0) unlink(path.c_str());
    return fd;
  }
  // The last line QEMU wrote to stderr (e.g. "Cannot load specified image").
  std::string qemu_said() const {
    if (err_ < 0) return {};
    char buf[2048];
    const off_t end = lseek(err_, 0, SEEK_END);
    const off_t from = end > static_cast<off_t>(sizeof buf - 1) ? end - static_cast<off_t>(sizeof buf - 1) : 0;
    const ssize_t n = pread(err_, buf, sizeof buf - 1, from);
    if (n <= 0) return {};
    std::string text(buf, static_cast<size_t>(n));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    const size_t nl = text.rfind('\n');
    return nl == std::string::npos ? text : text.substr(nl + 1);
  }

  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  std::string describe_;
};

speed_t baud_constant(int baud) {
  switch (baud) {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    case 921600: return B921600;
    case 1000000: return B1000000;
    case 2000000: return B2000000;
    default: throw std::runtime_error("unsupported baud rate " + std::to_string(baud));
  }
}

class SerialTransport : public Transport {
 public:
  SerialTransport(const std::string& device, int baud) : device_(device) {
    const speed_t speed = baud_constant(baud);
    fd_ = open(device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (fd_ < 0) throw std::runtime_error("cannot open " + device + ": " + std::strerror(errno));
    termios t{};
    if (tcgetattr(fd_, &t) != 0) {
      close(fd_);
      throw std::runtime_error(device + " is not a serial port");
    }
    cfmakeraw(&t);
    cfsetispeed(&t, speed);
    cfsetospeed(&t, speed);
    t.c_cflag |= CLOCAL | CREAD;
    tcsetattr(fd_, TCSANOW, &t);
    tcflush(fd_, TCIOFLUSH);
  }
  ~SerialTransport() override { close(fd_); }
  void write(const uint8_t* data, size_t size) override { write_all(fd_, data, size, device_); }
  size_t read(uint8_t* data, size_t size, int timeout_ms) override {
    return read_some(fd_, data, size, timeout_ms, device_);
  }
  std::string describe() const override { return device_; }

 private:
  std::string device_;
  int fd_ = -1;
};

}  // namespace

std::unique_ptr<Transport> start_qemu(const QemuOptions& options) { return std::make_unique<QemuTransport>(options); }
std::unique_ptr<Transport> open_serial(const std::string& device, int baud) {
  return std::make_unique<SerialTransport>(device, baud);
}

}  // namespace kiln::target
