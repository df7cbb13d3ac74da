// libFuzzer target: the CSV reader and row validation on arbitrary bytes.
#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::FuzzOneInput(vigil::FileFormat::kCsv, data, size);
  return 0;
}
