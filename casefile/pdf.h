// The summary for people as a PDF: summary.html printed by a headless Chromium, with the Chinese
// fonts it uses embedded (Debian's fonts-noto-cjk). Chromium is started as a program, never
// through a shell, with a time limit; the page it prints is ours and loads nothing from outside.
#pragma once

#include <string>

#include "casefile/casefile.h"

namespace fanzha::casefile {

// The Chromium to print with: `given` when not empty, else $FANZHA_CHROMIUM, else the first of
// chromium, chromium-browser, google-chrome found on $PATH. kNotFound naming what was tried.
Result<std::string> FindChromium(const std::string& given);

// A PdfRenderer that prints with `chromium` (a path), giving up after `timeout_ms`.
// Errors: kIoError with Chromium's last words when it fails or produces no PDF; kTimeout.
PdfRenderer ChromiumPdf(std::string chromium, int64_t timeout_ms = 120000);

}  // namespace fanzha::casefile
