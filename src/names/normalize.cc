#include "names/normalize.h"

#include <cstdint>

namespace vigil::names {
namespace {

constexpr uint32_t kMaxCodePoint = 0x10FFFF;
constexpr uint32_t kSurrogateFirst = 0xD800;
constexpr uint32_t kSurrogateLast = 0xDFFF;
constexpr uint32_t kDelete = 0x7F;
constexpr uint32_t kC1First = 0x80;
constexpr uint32_t kC1Last = 0x9F;

// Decodes one UTF-8 sequence at text[*pos]; advances *pos. False when broken
// (truncated, overlong, surrogate, out of range).
bool DecodeUtf8(std::string_view text, size_t* pos, uint32_t* code_point) {
  const auto lead = static_cast<uint8_t>(text[*pos]);
  int length = 0;
  uint32_t value = 0;
  uint32_t minimum = 0;
  if (lead < 0x80) {
    *code_point = lead;
    ++*pos;
    return true;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return false;
  }
  if (*pos + length > text.size()) return false;
  for (int index = 1; index < length; ++index) {
    const auto next = static_cast<uint8_t>(text[*pos + index]);
    if ((next & 0xC0) != 0x80) return false;
    value = (value << 6) | (next & 0x3F);
  }
  if (value < minimum || value > kMaxCodePoint) return false;
  if (value >= kSurrogateFirst && value <= kSurrogateLast) return false;
  *pos += length;
  *code_point = value;
  return true;
}

bool IsControl(uint32_t code_point) {
  return code_point < 0x20 || code_point == kDelete ||
         (code_point >= kC1First && code_point <= kC1Last);
}

bool IsApostropheLike(uint32_t code_point) {
  constexpr uint32_t kModifierLeftHalfRing = 0x02BF;   // ʿ (ayn)
  constexpr uint32_t kModifierRightHalfRing = 0x02BE;  // ʾ (hamza)
  constexpr uint32_t kTurnedComma = 0x02BB;
  constexpr uint32_t kLeftQuote = 0x2018;
  constexpr uint32_t kRightQuote = 0x2019;
  return code_point == '\'' || code_point == '`' || code_point == kModifierLeftHalfRing ||
         code_point == kModifierRightHalfRing || code_point == kTurnedComma ||
         code_point == kLeftQuote || code_point == kRightQuote;
}

// Appends the ASCII fold of already-romanised UTF-8 text.
void AppendFolded(std::string_view text, std::string* out) {
  size_t pos = 0;
  while (pos < text.size()) {
    uint32_t code_point = 0;
    if (!DecodeUtf8(text, &pos, &code_point)) {
      ++pos;
      out->push_back(' ');
      continue;
    }
    if (code_point >= 'A' && code_point <= 'Z') {
      out->push_back(static_cast<char>(code_point - 'A' + 'a'));
    } else if ((code_point >= 'a' && code_point <= 'z') ||
               (code_point >= '0' && code_point <= '9')) {
      out->push_back(static_cast<char>(code_point));
    } else if (IsApostropheLike(code_point)) {
      out->push_back('\'');
    } else {
      out->push_back(' ');
    }
  }
}

}  // namespace

bool IsAscii(std::string_view text) {
  for (char byte : text) {
    if (static_cast<uint8_t>(byte) >= kC1First) return false;
  }
  return true;
}

Status ValidateName(std::string_view name) {
  size_t pos = 0;
  bool has_content = false;
  while (pos < name.size()) {
    const size_t start = pos;
    uint32_t code_point = 0;
    if (!DecodeUtf8(name, &pos, &code_point)) {
      return Status::InvalidArgument("name: invalid UTF-8 at byte " + std::to_string(start));
    }
    if (IsControl(code_point)) {
      return Status::InvalidArgument("name: control character at byte " + std::to_string(start));
    }
    if (code_point != ' ') has_content = true;
  }
  if (!has_content) return Status::InvalidArgument("name: empty");
  return Status::Ok();
}

namespace {

// Arabic ta marbuta (U+0629), which ends many names (Khawla, Akkacha, Usama),
// is pronounced and romanised "a"/"ah" when the name stands alone; ICU
// writes it "t". Rewriting it as ha (U+0647) first gives "h", which the
// skeleton drops at the end of a token, as for "Khawla"/"Khawlah".
// O(length).
std::string TaMarbutaAsHa(std::string_view name) {
  constexpr std::string_view kTaMarbuta = "\xD8\xA9";
  constexpr std::string_view kHa = "\xD9\x87";
  std::string rewritten(name);
  for (size_t found = rewritten.find(kTaMarbuta); found != std::string::npos;
       found = rewritten.find(kTaMarbuta, found + kHa.size())) {
    rewritten.replace(found, kTaMarbuta.size(), kHa);
  }
  return rewritten;
}

// Arabic z, s, k, t, d (ز س ك ت د) followed by ha (ه) romanise as "zh",
// "sh", "kh", "th", "dh", which read as the single sounds of other letters
// (ژ ش خ ث ذ): "الزهراني" -> "alzhrany", "سهيل" -> "shyl". A short vowel
// almost always sits between them (Al-Zahrani, Suhail), so an alif is
// inserted, which romanises as "a" and keeps the two letters apart.
// O(length).
std::string SeparateHaFromDigraphLetters(std::string_view name) {
  constexpr std::string_view kHa = "\xD9\x87";
  constexpr std::string_view kAlif = "\xD8\xA7";
  constexpr std::string_view kDigraphFirsts[] = {
      "\xD8\xB2",  // zain
      "\xD8\xB3",  // sin
      "\xD9\x83",  // kaf
      "\xD8\xAA",  // ta
      "\xD8\xAF",  // dal
  };
  constexpr size_t kLetterBytes = 2;
  std::string rewritten;
  rewritten.reserve(name.size() + name.size() / 2);
  for (size_t pos = 0; pos < name.size(); ++pos) {
    rewritten.push_back(name[pos]);
    if (pos + 1 < kLetterBytes || name.substr(pos + 1, kLetterBytes) != kHa) continue;
    const std::string_view letter = name.substr(pos + 1 - kLetterBytes, kLetterBytes);
    for (std::string_view first : kDigraphFirsts) {
      if (letter == first) {
        rewritten.append(kAlif);
        break;
      }
    }
  }
  return rewritten;
}

struct LetterRewrite {
  std::string_view from;
  std::string_view to;
};

constexpr std::string_view kDad = "\xD8\xB6";    // ض
constexpr std::string_view kZah = "\xD8\xB8";    // ظ
constexpr std::string_view kThal = "\xD8\xB0";   // ذ
constexpr std::string_view kTheh = "\xD8\xAB";   // ث
constexpr std::string_view kQaf = "\xD9\x82";    // ق
constexpr std::string_view kZain = "\xD8\xB2";   // ز
constexpr std::string_view kSeen = "\xD8\xB3";   // س
constexpr std::string_view kGhain = "\xD8\xBA";  // غ

// Rewrites every two-byte letter found in `rewrites`. O(length).
template <size_t N>
std::string RewriteLetters(std::string_view name, const LetterRewrite (&rewrites)[N]) {
  std::string rewritten;
  rewritten.reserve(name.size());
  size_t pos = 0;
  while (pos < name.size()) {
    bool done = false;
    for (const LetterRewrite& rewrite : rewrites) {
      if (name.substr(pos, rewrite.from.size()) == rewrite.from) {
        rewritten.append(rewrite.to);
        pos += rewrite.from.size();
        done = true;
        break;
      }
    }
    if (!done) rewritten.push_back(name[pos++]);
  }
  return rewritten;
}

}  // namespace

bool HasLanguageDependentLetters(std::string_view name) {
  for (std::string_view letter : {kDad, kZah, kThal, kTheh, kQaf}) {
    if (name.find(letter) != std::string_view::npos) return true;
  }
  return false;
}

std::string ArabicReading(std::string_view name) {
  constexpr LetterRewrite kRewrites[] = {{kZah, kThal}};
  return RewriteLetters(name, kRewrites);
}

std::string PersianReading(std::string_view name) {
  constexpr LetterRewrite kRewrites[] = {
      {kDad, kZain}, {kZah, kZain}, {kThal, kZain}, {kTheh, kSeen}, {kQaf, kGhain}};
  return RewriteLetters(name, kRewrites);
}

Status FoldToAscii(std::string_view name, Transliterator& transliterator, std::string* out,
                   bool* transliterated) {
  out->clear();
  *transliterated = false;
  if (IsAscii(name)) {
    AppendFolded(name, out);
    return Status::Ok();
  }
  std::string romanised;
  transliterator.Run(SeparateHaFromDigraphLetters(TaMarbutaAsHa(name)), &romanised);
  *transliterated = true;
  AppendFolded(romanised, out);
  return Status::Ok();
}

}  // namespace vigil::names
