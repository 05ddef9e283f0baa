#include "core/text.hpp"

#include <gtest/gtest.h>

#include <string>

using coop::core::fold;
using coop::core::trim;
using coop::core::valid_utf8;

TEST(TextFold, FrenchPlaceNames) {
  EXPECT_EQ(fold("L'Haÿ-les-Roses"), "l hay les roses");
  EXPECT_EQ(fold("SAINT-ÉTIENNE"), "saint etienne");
  EXPECT_EQ(fold("Saint-Étienne"), "saint etienne");
  EXPECT_EQ(fold("Provence-Alpes-Côte d'Azur"), "provence alpes cote d azur");
  EXPECT_EQ(fold("Île-de-France"), "ile de france");
  EXPECT_EQ(fold("Lyon 1er Arrondissement"), "lyon 1er arrondissement");
  EXPECT_EQ(fold("Bourg-en-Bresse"), "bourg en bresse");
}

TEST(TextFold, AllFrenchLettersLowerAndUpper) {
  EXPECT_EQ(fold("éèêë àâä îï ôö ùûü ÿ ç"), "eeee aaa ii oo uuu y c");
  EXPECT_EQ(fold("ÉÈÊË ÀÂÄ ÎÏ ÔÖ ÙÛÜ Ÿ Ç"), "eeee aaa ii oo uuu y c");
  EXPECT_EQ(fold("œuvre Œuvre cœur"), "oeuvre oeuvre coeur");
  EXPECT_EQ(fold("æther Ætna"), "aether aetna");
}

TEST(TextFold, OtherLatinLetters) {
  EXPECT_EQ(fold("ÁÃÅáãå ÌÍìí ÑñŃń ÒÓÕØòóõø ÙÚùú Ýý"), "aaaaaa iiii nnnn oooooooo uuuu yy");
  EXPECT_EQ(fold("Straße Þór"), "strasse thor");
  EXPECT_EQ(fold("Łódź Škoda Čapek Ğ İstanbul ĲSSEL"), "lodz skoda capek g istanbul ijssel");
  EXPECT_EQ(fold("Āā Ěě Őő Űű Žž ſ"), "aa ee oo uu zz s");
}

TEST(TextFold, PunctuationBecomesSingleSpaces) {
  EXPECT_EQ(fold("L’Haÿ–les—Roses"), "l hay les roses");  // ’ U+2019, – U+2013, — U+2014
  EXPECT_EQ(fold("St.-Étienne"), "st etienne");
  EXPECT_EQ(fold("  a  -- b\t\n c  "), "a b c");
  EXPECT_EQ(fold("a\xC2\xA0" "b"), "a b");       // no-break space
  EXPECT_EQ(fold("a\xE2\x80\xAF" "b"), "a b");   // narrow no-break space
  EXPECT_EQ(fold("«Lyon»"), "lyon");
  EXPECT_EQ(fold("(Paris)"), "paris");
  EXPECT_EQ(fold("a×b÷c"), "a b c");
}

TEST(TextFold, EdgeCases) {
  EXPECT_EQ(fold(""), "");
  EXPECT_EQ(fold("   "), "");
  EXPECT_EQ(fold("'-.'"), "");
  EXPECT_EQ(fold("abc"), "abc");
  EXPECT_EQ(fold("ABC123"), "abc123");
  // Code points outside the folded blocks are kept verbatim.
  EXPECT_EQ(fold("Ωmega 東京"), "Ωmega 東京");
  // Invalid bytes are dropped, the rest is kept.
  EXPECT_EQ(fold("ab\xFF" "cd"), "abcd");
  EXPECT_EQ(fold("\xC3"), "");            // truncated é
  EXPECT_EQ(fold("\xC3\xA9\xC3"), "e");
  EXPECT_EQ(fold("\xC0\xAF" "x"), "x");   // overlong '/'
  // Idempotent.
  const std::string once = fold("L'Haÿ-les-Roses SAINT-ÉTIENNE Œ");
  EXPECT_EQ(fold(once), once);
}

TEST(TextUtf8, Valid) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("plain ascii"));
  EXPECT_TRUE(valid_utf8("L'Haÿ-les-Roses Œ ’ 東京"));
  EXPECT_TRUE(valid_utf8("\xF0\x9F\x98\x80"));  // U+1F600
  EXPECT_TRUE(valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_TRUE(valid_utf8(std::string("a\0b", 3)));
}

TEST(TextUtf8, Invalid) {
  EXPECT_FALSE(valid_utf8("\x80"));              // stray continuation
  EXPECT_FALSE(valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(valid_utf8("\xC3\x28"));          // bad continuation
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(valid_utf8("\xE0\x80\xAF"));      // overlong 3 bytes
  EXPECT_FALSE(valid_utf8("\xF0\x80\x80\xAF"));  // overlong 4 bytes
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(valid_utf8("\xFF"));
  EXPECT_FALSE(valid_utf8("ok\xE2\x82"));        // truncated at end
  EXPECT_FALSE(valid_utf8("\xE9t\xE9"));         // Latin-1, not UTF-8
}

TEST(TextTrim, Basics) {
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("   "), "");
  EXPECT_EQ(trim(" \t\r\n\v\fabc \t\r\n"), "abc");
  EXPECT_EQ(trim("a b"), "a b");
  EXPECT_EQ(trim("  a b  "), "a b");
  EXPECT_EQ(trim("é "), "é");
}

TEST(Text, Utf8PrefixCutsOnCharacterBoundaries) {
  EXPECT_EQ(coop::core::utf8_prefix("abcé", 4), "abc");  // é is 2 bytes: not cut in half
  EXPECT_EQ(coop::core::utf8_prefix("abcé", 5), "abcé");
  EXPECT_EQ(coop::core::utf8_prefix("ab", 10), "ab");
  EXPECT_EQ(coop::core::utf8_prefix("\xff\xfe\xc3\x28", 10), "");
}
