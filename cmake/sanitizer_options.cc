// Linked into the vigil binary and every test binary of a VIGIL_SANITIZE
// build: a sanitizer report aborts the process (SIGABRT), so a report in a
// child process that a test expects to fail with exit code 1 is still seen
// as a crash. ASAN_OPTIONS / UBSAN_OPTIONS in the environment override these.
extern "C" const char* __asan_default_options() {
  return "abort_on_error=1:detect_leaks=1:strict_string_checks=1:check_initialization_order=1";
}
extern "C" const char* __ubsan_default_options() {
  return "abort_on_error=1:print_stacktrace=1:halt_on_error=1";
}
