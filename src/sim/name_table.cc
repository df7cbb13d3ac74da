#include "sim/name_table.h"

namespace vigil::sim {
namespace {

constexpr NameForm kArabicMale[] = {
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
constexpr NameForm kArabicFemale[] = {
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
constexpr NameForm kArabicFamily[] = {
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

constexpr NameForm kSlavicMale[] = {
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
constexpr NameForm kSlavicFemale[] = {
    {"Olga", "Olha|Olgha", "Ольга"},
    {"Natalia", "Natalya|Nataliya|Natalja", "Наталья"},
    {"Elena", "Yelena|Jelena|Helena", "Елена"},
    {"Madina", "Medina|Madinah", "Мадина"},
    {"Zarema", "Sarema", "Зарема"},
    {"Malika", "Malikat", "Малика"},
    {"Aishat", "Aishet|Ajshat", "Айшат"},
};
constexpr NameForm kSlavicFamily[] = {
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

constexpr NameForm kFrenchMale[] = {
    {"Pierre", "", ""},
    {"Jean", "", ""},
    {"Nicolas", "", ""},
    {"Julien", "", ""},
    {"Thomas", "", ""},
    {"Mehdi", "Mahdi", ""},
    {"Sébastien", "Sebastien", ""},
};
constexpr NameForm kFrenchFemale[] = {
    {"Marie", "", ""},  {"Camille", "", ""},      {"Julie", "", ""},
    {"Sophie", "", ""}, {"Hélène", "Helene", ""}, {"Inès", "Ines", ""},
};
constexpr NameForm kFrenchFamily[] = {
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

constexpr NameForm kSpanishMale[] = {
    {"José", "Jose", ""},     {"Juan", "", ""},   {"Carlos", "", ""},
    {"Javier", "Xavier", ""}, {"Miguel", "", ""}, {"Ángel", "Angel", ""},
};
constexpr NameForm kSpanishFemale[] = {
    {"María", "Maria", ""}, {"Carmen", "", ""}, {"Lucía", "Lucia", ""},
    {"Ana", "", ""},        {"Isabel", "", ""}, {"Nuria", "", ""},
};
constexpr NameForm kSpanishFamily[] = {
    {"García", "Garcia", ""},   {"Fernández", "Fernandez", ""},
    {"López", "Lopez", ""},     {"Martínez", "Martinez", ""},
    {"Sánchez", "Sanchez", ""}, {"Pérez", "Perez", ""},
    {"Gómez", "Gomez", ""},     {"Ruiz", "", ""},
    {"Moreno", "", ""},
};

constexpr NameForm kTurkishMale[] = {
    {"Mehmet", "Mehmed|Mehmat", ""},
    {"Mustafa", "Moustafa", ""},
    {"Emre", "", ""},
    {"Murat", "Mourat", ""},
    {"Ahmet", "Ahmed", ""},
    {"Hüseyin", "Huseyin|Hussein", ""},
};
constexpr NameForm kTurkishFemale[] = {
    {"Ayşe", "Ayse|Aysche", ""},
    {"Fatma", "Fatima", ""},
    {"Zeynep", "Zeinep|Zeynab", ""},
    {"Elif", "", ""},
    {"Emine", "", ""},
};
constexpr NameForm kTurkishFamily[] = {
    {"Yılmaz", "Yilmaz", ""},
    {"Kaya", "", ""},
    {"Demir", "", ""},
    {"Şahin", "Sahin", ""},
    {"Çelik", "Celik|Tschelik", ""},
    {"Yıldız", "Yildiz", ""},
    {"Öztürk", "Ozturk|Oeztuerk", ""},
    {"Aydın", "Aydin", ""},
};

constexpr NameForm kEnglishMale[] = {
    {"James", "", ""},          {"John", "Jon", ""}, {"David", "", ""},
    {"Michael", "Micheal", ""}, {"Daniel", "", ""},  {"Connor", "Conor", ""},
};
constexpr NameForm kEnglishFemale[] = {
    {"Sarah", "Sara", ""}, {"Emma", "", ""},  {"Emily", "", ""},
    {"Jessica", "", ""},   {"Laura", "", ""}, {"Siobhan", "", ""},
};
constexpr NameForm kEnglishFamily[] = {
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

const OriginTable kTables[kOriginCount] = {
    {kArabicMale, kArabicFemale, kArabicFamily, kArabicNationalities, false},
    {kSlavicMale, kSlavicFemale, kSlavicFamily, kSlavicNationalities, true},
    {kFrenchMale, kFrenchFemale, kFrenchFamily, kFrenchNationalities, false},
    {kSpanishMale, kSpanishFemale, kSpanishFamily, kSpanishNationalities, false},
    {kTurkishMale, kTurkishFemale, kTurkishFamily, kTurkishNationalities, false},
    {kEnglishMale, kEnglishFemale, kEnglishFamily, kEnglishNationalities, false},
};

}  // namespace

const OriginTable& TableFor(Origin origin) { return kTables[static_cast<int>(origin)]; }

}  // namespace vigil::sim
