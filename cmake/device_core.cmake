# The freestanding charter of the device core, applied to every device target:
# C++17 without exceptions, RTTI, thread-safe statics or any C++ library
# header (-nostdinc++ makes an accidental <vector> a compile error on the host
# too), warnings as errors.
set(KILN_DEVICE_FLAGS
  -Wall -Wextra -Werror -Wshadow -Wcast-align -Wdouble-promotion
  -fno-exceptions -fno-rtti -fno-threadsafe-statics -nostdinc++
  -ffunction-sections -fdata-sections)

# kiln_device_module(<name>): sources in device/<name>/*.cpp (and its ops/
# folder), public headers in device/<name>/include.
function(kiln_device_sources out_var module_dir)
  file(GLOB srcs CONFIGURE_DEPENDS ${module_dir}/*.cpp ${module_dir}/ops/*.cpp)
  set(${out_var} ${srcs} PARENT_SCOPE)
endfunction()
