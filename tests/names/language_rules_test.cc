// The spelling rules of particular languages: romanised Korean syllables,
// Arabic compounds joined or split, and the Arabic and Persian readings of
// Arabic script. Each rule is checked on the normalised form and on what
// screening returns, and each is checked not to reach names it does not
// describe.
#include <gtest/gtest.h>

#include "names/korean.h"
#include "vigil/names.h"

namespace vigil {
namespace {

class LanguageRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = NewNameNormalizer();
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    normalizer_ = std::move(*created);
  }
  NormalizedName Norm(std::string_view name) {
    auto result = normalizer_->Normalize(name);
    EXPECT_TRUE(result.ok()) << name << ": " << result.status().ToString();
    return result.ok() ? *result : NormalizedName{};
  }
  // The entry ranked first for `query` among `listed` (entry ids "0", "1",
  // ...), or "" when nothing matches.
  static std::string TopEntry(const std::vector<std::string>& listed, const std::string& query) {
    auto index = NewScreeningIndex();
    EXPECT_TRUE(index.ok());
    for (size_t id = 0; id < listed.size(); ++id) {
      EXPECT_TRUE((*index)->Add({std::to_string(id), {listed[id]}, "", ""}).ok()) << listed[id];
    }
    auto matches = (*index)->Screen({query, "", ""}, {});
    EXPECT_TRUE(matches.ok());
    return matches.ok() && !matches->empty() ? (*matches)[0].entry_id : "";
  }
  std::unique_ptr<NameNormalizer> normalizer_;
};

TEST_F(LanguageRulesTest, KoreanInitialsOfOneLetterShareAKey) {
  // ㅈ/ㅊ (j, ch), ㄱ (k, g), ㄷ (t, d), ㅂ (p, b) across romanisations.
  EXPECT_EQ(Norm("Jo Myong Chol").skeletons, Norm("Cho Myong Chol").skeletons);
  EXPECT_EQ(Norm("Pak Il Kyu").skeletons, Norm("Pak Il Gyu").skeletons);
  EXPECT_EQ(Norm("Pak To Chun").skeletons, Norm("Pak Do Chun").skeletons);
  EXPECT_EQ(Norm("Kim Song Il").skeletons, Norm("Gim Song Il").skeletons);
  EXPECT_EQ(Norm("Pak Chol").skeletons, Norm("Park Chol").skeletons);
  EXPECT_EQ(Norm("Pak Chol").skeletons, Norm("Bak Chol").skeletons);
}

TEST_F(LanguageRulesTest, KoreanInitialRuleMeetsRiLeeYiRhee) {
  const NormalizedName ri = Norm("Ri Jae Il");
  for (const char* name : {"Lee Jae Il", "Li Jae Il", "Yi Jae Il", "Rhee Jae Il", "I Jae Il"}) {
    EXPECT_EQ(Norm(name).skeletons, ri.skeletons) << name;
  }
  EXPECT_EQ(Norm("Ryu Chol").skeletons, Norm("Yu Chol").skeletons);
  EXPECT_EQ(names::KoreanSkeleton("ryong"), names::KoreanSkeleton("yong"));
  // "O" (another family name) stays apart from "Ri".
  EXPECT_NE(names::KoreanSkeleton("o"), names::KoreanSkeleton("ri"));
}

TEST_F(LanguageRulesTest, KoreanGivenNameSpacedHyphenatedOrJoinedIsOneSpelling) {
  const NormalizedName spaced = Norm("Jo Yong Won");
  EXPECT_EQ(spaced.tokens, (std::vector<std::string>{"jo", "yong", "won"}));
  EXPECT_EQ(Norm("Jo Yong-Won").tokens, spaced.tokens);
  EXPECT_EQ(Norm("Jo Yongwon").tokens, spaced.tokens);
  EXPECT_EQ(Norm("Cho Yongwon").skeletons, spaced.skeletons);
}

TEST_F(LanguageRulesTest, JoMyongMatchesChoMyongFirst) {
  const std::vector<std::string> listed = {"CHO MYONG CHOL", "JO YONG CHOL", "JON MYONG GUK",
                                           "KIM MYONG CHOL"};
  EXPECT_EQ(TopEntry(listed, "Jo Myong Chol"), "0");
  EXPECT_EQ(TopEntry(listed, "Cho Yong Chol"), "1");
  EXPECT_EQ(TopEntry(listed, "Gim Myong Chol"), "3");
}

TEST_F(LanguageRulesTest, KoreanKeysDoNotReachOtherNames) {
  // No Korean family name: an Arabic name keeps its consonant skeleton, in
  // which t and d, j and ch stay apart.
  EXPECT_FALSE(names::LooksKorean({"tahir", "jan"}));
  EXPECT_NE(Norm("Tahir Jan").skeletons, Norm("Dahir Chan").skeletons);
  EXPECT_EQ(Norm("Ali Jan").tokens, (std::vector<std::string>{"ali", "jan"}));
  // A token that is not Korean syllables keeps the name from being read so.
  EXPECT_FALSE(names::LooksKorean({"kim", "abdullah"}));
  EXPECT_TRUE(names::LooksKorean({"kim", "jong", "un"}));
}

TEST_F(LanguageRulesTest, AbdCompoundWithAssimilatedArticleIsOneToken) {
  const NormalizedName split = Norm("Abd al-Rahman");
  EXPECT_EQ(split.tokens, (std::vector<std::string>{"abdrahman"}));
  for (const char* name :
       {"Abdulrahman", "Abdul Rahman", "Abdurrahman", "Abdur-Rahman", "Abd ar-Rahman"}) {
    EXPECT_EQ(Norm(name).tokens, split.tokens) << name;
  }
  EXPECT_EQ(Norm("عبد الرحمن").skeletons, split.skeletons);
  EXPECT_EQ(Norm("Abdessalam").tokens, Norm("Abd al-Salam").tokens);
  EXPECT_EQ(TopEntry({"ABD AL-RAHMAN YASIN", "ABD AL-RAHIM YASIN"}, "Abdulrahman Yasin"), "0");
}

TEST_F(LanguageRulesTest, JoinedCompoundWithAssimilatedArticleSplits) {
  EXPECT_EQ(Norm("Shamsurrahman").tokens, Norm("Shams ur-Rahman").tokens);
  EXPECT_EQ(Norm("Shamsurrahman").tokens, (std::vector<std::string>{"shams", "rahman"}));
  EXPECT_EQ(Norm("Nasiruddin Haqqani").tokens, Norm("Nasir ud-Din Haqqani").tokens);
  // A doubled letter after u that is no article stays: too short a part,
  // or no doubled sun letter.
  EXPECT_EQ(Norm("Mussa").tokens, (std::vector<std::string>{"mussa"}));
  EXPECT_EQ(Norm("Mansur Rashid").tokens, (std::vector<std::string>{"mansur", "rashid"}));
  EXPECT_EQ(Norm("Muhammad").tokens, (std::vector<std::string>{"muhammad"}));
}

TEST_F(LanguageRulesTest, ArabicScriptIsReadTheArabicAndThePersianWay) {
  // ض: Fadl (Arabic) and Fazl (Persian, Urdu, Pashto).
  const NormalizedName fadl = Norm("فضل محمد");
  ASSERT_FALSE(fadl.alternate_tokens.empty());
  EXPECT_EQ(fadl.skeletons, Norm("Fadl Muhammad").skeletons);
  EXPECT_EQ(fadl.alternate_skeletons, Norm("Fazl Mohammad").skeletons);
  // ث: Uthman and Usman; ق: Qasimi and Ghasemi; ظ: Dhahir and Zahir.
  EXPECT_EQ(Norm("عثمان").skeletons, Norm("Uthman").skeletons);
  EXPECT_EQ(Norm("عثمان").alternate_skeletons, Norm("Usman").skeletons);
  EXPECT_EQ(Norm("قاسمي").alternate_skeletons, Norm("Ghasemi").skeletons);
  EXPECT_EQ(Norm("ظاهر").skeletons, Norm("Dhahir").skeletons);
  EXPECT_EQ(Norm("ظاهر").alternate_skeletons, Norm("Zahir").skeletons);
  // A name without these letters has one reading.
  EXPECT_TRUE(Norm("محمد علي").alternate_tokens.empty());
  EXPECT_TRUE(Norm("Fazl Mohammad").alternate_tokens.empty());
}

TEST_F(LanguageRulesTest, EitherReadingOfArabicScriptFindsItsLatinSpelling) {
  const std::vector<std::string> listed = {"FAZL MOHAMMAD MAZLOOM", "FADL MAHMOUD", "USMAN GHANI",
                                           "HASSAN DAHIR AWEYS"};
  EXPECT_EQ(TopEntry(listed, "فضل محمد مظلوم"), "0");
  EXPECT_EQ(TopEntry(listed, "فضل محمود"), "1");
  EXPECT_EQ(TopEntry(listed, "عثمان غنی"), "2");
  EXPECT_EQ(TopEntry(listed, "حسن ظاهر عويس"), "3");
  // An entry listed in Arabic script is found by both Latin spellings.
  EXPECT_EQ(TopEntry({"فضل ربيع", "فضل رحيم"}, "Fazl Rabi"), "0");
  EXPECT_EQ(TopEntry({"فضل ربيع", "فضل رحيم"}, "Fadl Rabi"), "0");
}

// A second reading is screened but kept out of the index's word-rarity
// statistics: an Arabic-script entry weighs the words of other entries
// exactly as its first reading alone would. With the second reading counted,
// "fazl" (in the Persian reading only) looks commoner and the number of names
// larger, and the unrelated entry's score moves.
TEST_F(LanguageRulesTest, SecondReadingsAreNotCountedInWordRarity) {
  const NormalizedName arabic = Norm("فضل محمد");
  ASSERT_FALSE(arabic.alternate_tokens.empty());
  std::string first_reading;
  for (const std::string& token : arabic.tokens) {
    first_reading += (first_reading.empty() ? "" : " ") + token;
  }
  // The Latin name is the Arabic name's first reading, token for token.
  ASSERT_EQ(Norm(first_reading).tokens, arabic.tokens);
  ASSERT_EQ(Norm(first_reading).skeletons, arabic.skeletons);
  ASSERT_TRUE(Norm(first_reading).alternate_tokens.empty());
  auto score_of_unrelated = [&](const std::string& listed_name) {
    auto index = NewScreeningIndex();
    EXPECT_TRUE(index.ok());
    EXPECT_TRUE((*index)->Add({"U1", {"Fazl Rahman Khan"}, "", ""}).ok());
    EXPECT_TRUE((*index)->Add({"U2", {"Omar Khan Durrani"}, "", ""}).ok());
    EXPECT_TRUE((*index)->Add({"U3", {"Fazl Ahmad"}, "", ""}).ok());
    EXPECT_TRUE((*index)->Add({"A", {listed_name}, "", ""}).ok());
    auto matches = (*index)->Screen({"Fazl Khan", "", ""}, {});
    EXPECT_TRUE(matches.ok());
    for (const ScreeningMatch& match : *matches) {
      if (match.entry_id == "U1") return match.score;
    }
    ADD_FAILURE() << "U1 not found";
    return -1.0;
  };
  EXPECT_DOUBLE_EQ(score_of_unrelated("فضل محمد"), score_of_unrelated(first_reading));
  // Removing the entry takes its counts with it: the index is as before.
  auto index = NewScreeningIndex();
  ASSERT_TRUE(index.ok());
  ASSERT_TRUE((*index)->Add({"U1", {"Fazl Rahman Khan"}, "", ""}).ok());
  ASSERT_TRUE((*index)->Add({"U3", {"Fazl Ahmad"}, "", ""}).ok());
  auto before = (*index)->Screen({"Fazl Khan", "", ""}, {});
  ASSERT_TRUE((*index)->Add({"A", {"فضل محمد"}, "", ""}).ok());
  ASSERT_TRUE((*index)->Remove("A").ok());
  auto after = (*index)->Screen({"Fazl Khan", "", ""}, {});
  ASSERT_TRUE(before.ok() && after.ok());
  ASSERT_EQ(before->size(), after->size());
  for (size_t i = 0; i < before->size(); ++i) {
    EXPECT_EQ((*before)[i].entry_id, (*after)[i].entry_id);
    EXPECT_DOUBLE_EQ((*before)[i].score, (*after)[i].score);
  }
}

}  // namespace
}  // namespace vigil
