#include "sim/name_table.h"

#include <array>
#include <cmath>

#include "sim/name_syllables.h"

namespace vigil::sim {
namespace {

// A hand-written common name (the head of a pool).
struct HeadForm {
  std::string_view latin;
  std::string_view variants;
  std::string_view script;
};

constexpr HeadForm kArabicMale[] = {
    {"Mohammed", "Muhammad|Mohamed|Mohamad|Mohammad|Muhammed", "محمد"},
    {"Ahmed", "Ahmad|Ahmet|Achmed", "أحمد"},
    {"Ali", "Aly|Alee", "علي"},
    {"Youssef", "Yusuf|Youcef|Yousef|Yossef", "يوسف"},
    {"Omar", "Umar|Omer", "عمر"},
    {"Khaled", "Khalid|Halid", "خالد"},
    {"Abdeslam", "Abdesalam|Abd al-Salam|Abdelsalam|Abdessalam", "عبد السلام"},
    {"Hussein", "Hussain|Husayn|Houssein", "حسين"},
    {"Ibrahim", "Ebrahim|Brahim|Ibrahem", "إبراهيم"},
    {"Mustafa", "Mostafa|Moustafa|Mustapha", "مصطفى"},
    {"Said", "Saeed|Saïd|Sayed", "سعيد"},
    {"Karim", "Kareem|Karym", "كريم"},
    {"Hamza", "Hamzah|Hamsa", "حمزة"},
    {"Bilal", "Belal|Bilel", "بلال"},
    {"Abdelkader", "Abd al-Qadir|Abdulkadir|Abdel Kader", "عبد القادر"},
};
constexpr HeadForm kArabicFemale[] = {
    {"Fatima", "Fatma|Fatimah|Fatema", "فاطمة"},
    {"Aisha", "Aicha|Ayesha|Aischa", "عائشة"},
    {"Khadija", "Khadidja|Khadijah|Hadija", "خديجة"},
    {"Zainab", "Zaynab|Zeinab|Zineb", "زينب"},
    {"Layla", "Leila|Laila|Leyla", "ليلى"},
    {"Maryam", "Mariam|Meryem|Myriam", "مريم"},
    {"Nour", "Noor|Nur", "نور"},
    {"Hayat", "Hayet|Hajat", "حياة"},
    {"Yasmin", "Yasmine|Jasmin|Yasmina", "ياسمين"},
    {"Salma", "Selma|Salmah", "سلمى"},
};
constexpr HeadForm kArabicFamily[] = {
    {"Hassan", "Hasan|Hassen", "حسن"},
    {"Benali", "Ben Ali|Bin Ali|Ibn Ali", "بن علي"},
    {"El Amrani", "Al-Amrani|Elamrani|Amrani", "العمراني"},
    {"Kouachi", "Kouashi|Kwashi|Kuachi", "كواشي"},
    {"Haddad", "Hadad|Al-Haddad", "حداد"},
    {"Mansour", "Mansur|Mansoor", "منصور"},
    {"Khalil", "Khaleel|Halil", "خليل"},
    {"Saleh", "Salih|Salah", "صالح"},
    {"Nasser", "Nasir|Naser|Nassar", "ناصر"},
    {"Bouzid", "Bou Zid|Abouzid|Bouzide", "بوزيد"},
    {"Abu Bakr", "Abubakar|Aboubakr|Abou Bakr|Abubakr", "أبو بكر"},
    {"Al-Masri", "El Masri|Elmasri|Almasri|al Masri", "المصري"},
    {"Abd al-Rahman", "Abdelrahman|Abderrahmane|Abdul Rahman|Abdulrahman", "عبد الرحمن"},
    {"Ben Youssef", "Benyoucef|Bin Yusuf|Ibn Yusuf|Benyoussef", "بن يوسف"},
    {"Tahiri", "Al-Tahiri|Ettahiri|Tahiry", "الطاهري"},
    {"Idrissi", "El Idrissi|Idrisi|Al-Idrisi", "الإدريسي"},
    {"Abdeslam", "Abdesalam|Abd al-Salam|Abdessalam", "عبد السلام"},
    {"Mohamed", "Mohammed|Muhammad|Mohamad", "محمد"},
};

constexpr HeadForm kSlavicMale[] = {
    {"Aleksandr", "Alexander|Alexandr|Aleksander", "Александр"},
    {"Dmitry", "Dmitri|Dmitrii|Dmitriy", "Дмитрий"},
    {"Sergei", "Sergey|Serguei|Sergej", "Сергей"},
    {"Ivan", "Iwan", "Иван"},
    {"Ruslan", "Rouslan", "Руслан"},
    {"Magomed", "Magomet|Mahomed|Magamed", "Магомед"},
    {"Akhmed", "Ahmed|Akhmad|Achmed", "Ахмед"},
    {"Zelimkhan", "Zelimhan|Selimchan", "Зелимхан"},
    {"Shamil", "Chamil|Schamil", "Шамиль"},
    {"Timur", "Temur|Timour", "Тимур"},
    {"Islam", "Islam", "Ислам"},
    {"Adam", "Adam", "Адам"},
};
constexpr HeadForm kSlavicFemale[] = {
    {"Olga", "Olha|Olgha", "Ольга"},
    {"Natalia", "Natalya|Nataliya|Natalja", "Наталья"},
    {"Elena", "Yelena|Jelena|Helena", "Елена"},
    {"Madina", "Medina|Madinah", "Мадина"},
    {"Zarema", "Sarema", "Зарема"},
    {"Malika", "Malikat", "Малика"},
    {"Aishat", "Aishet|Ajshat", "Айшат"},
};
constexpr HeadForm kSlavicFamily[] = {
    {"Ivanov", "Ivanoff|Iwanow", "Иванов"},
    {"Petrov", "Petroff|Petrow", "Петров"},
    {"Kuznetsov", "Kouznetsov|Kusnezow", "Кузнецов"},
    {"Magomedov", "Magomedow|Mahomedov", "Магомедов"},
    {"Akhmadov", "Ahmadov|Achmadow|Akhmatov", "Ахмадов"},
    {"Ismailov", "Ismaylov|Ismailow", "Исмаилов"},
    {"Yusupov", "Iusupov|Youssoupov|Jusupow", "Юсупов"},
    {"Gadzhiev", "Gadjiev|Hajiyev|Gadschijew", "Гаджиев"},
    {"Musaev", "Musayev|Moussaev|Mussajew", "Мусаев"},
    {"Aliev", "Aliyev|Alijew", "Алиев"},
    {"Khasanov", "Hasanov|Chassanow", "Хасанов"},
    {"Sokolov", "Sokoloff|Sokolow", "Соколов"},
};

constexpr HeadForm kFrenchMale[] = {
    {"Pierre", "", ""},
    {"Jean", "", ""},
    {"Nicolas", "", ""},
    {"Julien", "", ""},
    {"Thomas", "", ""},
    {"Mehdi", "Mahdi", ""},
    {"Sébastien", "Sebastien", ""},
};
constexpr HeadForm kFrenchFemale[] = {
    {"Marie", "", ""},  {"Camille", "", ""},      {"Julie", "", ""},
    {"Sophie", "", ""}, {"Hélène", "Helene", ""}, {"Inès", "Ines", ""},
};
constexpr HeadForm kFrenchFamily[] = {
    {"Martin", "", ""},
    {"Bernard", "", ""},
    {"Dubois", "Du Bois", ""},
    {"Durand", "", ""},
    {"Lefèvre", "Lefevre|Lefebvre", ""},
    {"Moreau", "", ""},
    {"Laurent", "", ""},
    {"Girard", "", ""},
    {"Lambert", "", ""},
    {"Mercier", "", ""},
};

constexpr HeadForm kSpanishMale[] = {
    {"José", "Jose", ""},     {"Juan", "", ""},   {"Carlos", "", ""},
    {"Javier", "Xavier", ""}, {"Miguel", "", ""}, {"Ángel", "Angel", ""},
};
constexpr HeadForm kSpanishFemale[] = {
    {"María", "Maria", ""}, {"Carmen", "", ""}, {"Lucía", "Lucia", ""},
    {"Ana", "", ""},        {"Isabel", "", ""}, {"Nuria", "", ""},
};
constexpr HeadForm kSpanishFamily[] = {
    {"García", "Garcia", ""},   {"Fernández", "Fernandez", ""},
    {"López", "Lopez", ""},     {"Martínez", "Martinez", ""},
    {"Sánchez", "Sanchez", ""}, {"Pérez", "Perez", ""},
    {"Gómez", "Gomez", ""},     {"Ruiz", "", ""},
    {"Moreno", "", ""},
};

constexpr HeadForm kTurkishMale[] = {
    {"Mehmet", "Mehmed|Mehmat", ""},
    {"Mustafa", "Moustafa", ""},
    {"Emre", "", ""},
    {"Murat", "Mourat", ""},
    {"Ahmet", "Ahmed", ""},
    {"Hüseyin", "Huseyin|Hussein", ""},
};
constexpr HeadForm kTurkishFemale[] = {
    {"Ayşe", "Ayse|Aysche", ""},
    {"Fatma", "Fatima", ""},
    {"Zeynep", "Zeinep|Zeynab", ""},
    {"Elif", "", ""},
    {"Emine", "", ""},
};
constexpr HeadForm kTurkishFamily[] = {
    {"Yılmaz", "Yilmaz", ""},
    {"Kaya", "", ""},
    {"Demir", "", ""},
    {"Şahin", "Sahin", ""},
    {"Çelik", "Celik|Tschelik", ""},
    {"Yıldız", "Yildiz", ""},
    {"Öztürk", "Ozturk|Oeztuerk", ""},
    {"Aydın", "Aydin", ""},
};

constexpr HeadForm kEnglishMale[] = {
    {"James", "", ""},          {"John", "Jon", ""}, {"David", "", ""},
    {"Michael", "Micheal", ""}, {"Daniel", "", ""},  {"Connor", "Conor", ""},
};
constexpr HeadForm kEnglishFemale[] = {
    {"Sarah", "Sara", ""}, {"Emma", "", ""},  {"Emily", "", ""},
    {"Jessica", "", ""},   {"Laura", "", ""}, {"Siobhan", "", ""},
};
constexpr HeadForm kEnglishFamily[] = {
    {"Smith", "Smyth", ""}, {"Jones", "", ""},       {"Williams", "", ""},
    {"Brown", "", ""},      {"Taylor", "", ""},      {"Wilson", "", ""},
    {"Evans", "", ""},      {"Clarke", "Clark", ""}, {"O'Brien", "OBrien|O Brien", ""},
};

constexpr std::string_view kArabicNationalities[] = {"MA", "DZ", "TN", "FR", "BE", "EG"};
constexpr std::string_view kSlavicNationalities[] = {"RU", "RU", "FR", "BE"};
constexpr std::string_view kFrenchNationalities[] = {"FR", "BE"};
constexpr std::string_view kSpanishNationalities[] = {"ES"};
constexpr std::string_view kTurkishNationalities[] = {"TR", "DE", "BE"};
constexpr std::string_view kEnglishNationalities[] = {"GB", "IE"};

// Pool sizes and Zipf-Mandelbrot parameters (see name_table.h).
constexpr size_t kGivenNames = 400;
constexpr size_t kFamilyNames = 3000;
constexpr double kGivenOffset = 2.0;
constexpr double kGivenExponent = 1.0;
constexpr double kFamilyOffset = 8.0;
constexpr double kFamilyExponent = 1.0;

struct HeadTables {
  std::span<const HeadForm> given_male;
  std::span<const HeadForm> given_female;
  std::span<const HeadForm> family;
  std::span<const std::string_view> nationalities;
  bool gendered_family;
};

constexpr HeadTables kHeads[kOriginCount] = {
    {kArabicMale, kArabicFemale, kArabicFamily, kArabicNationalities, false},
    {kSlavicMale, kSlavicFemale, kSlavicFamily, kSlavicNationalities, true},
    {kFrenchMale, kFrenchFemale, kFrenchFamily, kFrenchNationalities, false},
    {kSpanishMale, kSpanishFemale, kSpanishFamily, kSpanishNationalities, false},
    {kTurkishMale, kTurkishFemale, kTurkishFamily, kTurkishNationalities, false},
    {kEnglishMale, kEnglishFemale, kEnglishFamily, kEnglishNationalities, false},
};

std::vector<double> ZipfWeights(size_t count, double offset, double exponent) {
  std::vector<double> weights(count);
  for (size_t rank = 1; rank <= count; ++rank) {
    weights[rank - 1] = 1.0 / std::pow(static_cast<double>(rank) + offset, exponent);
  }
  return weights;
}

// The head's names, then invented ones up to `size`. O(size).
NamePool BuildPool(Origin origin, NameKind kind, std::span<const HeadForm> head, size_t size,
                   double offset, double exponent) {
  std::vector<NameForm> forms;
  std::vector<std::string> taken;
  for (const HeadForm& form : head) {
    forms.push_back(
        {std::string(form.latin), std::string(form.variants), std::string(form.script)});
    taken.emplace_back(form.latin);
  }
  const size_t wanted = size > forms.size() ? size - forms.size() : 0;
  for (InventedName& name : InventNames(origin, kind, wanted, taken)) {
    forms.push_back({std::move(name.latin), std::move(name.variants), std::move(name.script)});
  }
  AliasTable frequency(ZipfWeights(forms.size(), offset, exponent));
  return NamePool{std::move(forms), std::move(frequency)};
}

OriginTable BuildTable(Origin origin) {
  const HeadTables& head = kHeads[static_cast<int>(origin)];
  return OriginTable{BuildPool(origin, NameKind::kGivenMale, head.given_male, kGivenNames,
                               kGivenOffset, kGivenExponent),
                     BuildPool(origin, NameKind::kGivenFemale, head.given_female, kGivenNames,
                               kGivenOffset, kGivenExponent),
                     BuildPool(origin, NameKind::kFamily, head.family, kFamilyNames, kFamilyOffset,
                               kFamilyExponent),
                     head.nationalities, head.gendered_family};
}

std::array<OriginTable, kOriginCount> BuildTables() {
  return {BuildTable(Origin::kArabic),  BuildTable(Origin::kSlavic),  BuildTable(Origin::kFrench),
          BuildTable(Origin::kSpanish), BuildTable(Origin::kTurkish), BuildTable(Origin::kEnglish)};
}

}  // namespace

const OriginTable& TableFor(Origin origin) {
  static const std::array<OriginTable, kOriginCount> tables = BuildTables();
  return tables[static_cast<int>(origin)];
}

}  // namespace vigil::sim
