// A person to erase, written as input files, and the byte search that shows
// whether any of their identifiers is left in the files Vigil wrote: the
// fixture of the erasure tests (library, server and CLI).
#ifndef VIGIL_TESTS_SUPPORT_ERASED_PERSON_H_
#define VIGIL_TESTS_SUPPORT_ERASED_PERSON_H_

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace vigil::testing {

// A person with a name, an alias, a birth date, a phone, a passport, a call,
// a trip and a report; every value is unique to them, so that finding it
// in a file means the file holds them.
struct ErasedPerson {
  std::string id;
  std::string name;
  std::string alias;
  std::string birth_date;
  std::string phone;     // "msisdn:+..."
  std::string passport;  // "passport:CC:NUMBER"
  std::string trip;      // travel record id
  std::string report;    // report id
  std::string compartment = "CT-A";

  // The phone's number and the passport's number alone, as a bad input row
  // may write them.
  std::string PhoneNumber() const { return phone.substr(phone.find(':') + 1); }
  std::string PassportNumber() const { return passport.substr(passport.rfind(':') + 1); }

  // Every identifier looked for in the bytes.
  std::vector<std::string> Identifiers() const {
    return {id,   name,  alias, birth_date, phone, PhoneNumber(), passport, PassportNumber(),
            trip, report};
  }

  // The person's input files in `dir` (persons, selectors, comms, travel,
  // reports; CSV), with a call from their phone to `counterpart`.
  void WriteInputs(const std::string& dir, const std::string& counterpart) const {
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/persons.csv")
        << "person_id,name,aliases,birth_date,nationality,status,compartment,legal_basis,"
           "review_by\n"
        << id << "," << name << "," << alias << "," << birth_date << ",ES,associate," << compartment
        << ",,\n";
    std::ofstream(dir + "/selectors.csv") << "selector,person_id,first_seen,last_seen,source\n"
                                          << phone << "," << id << ",,,warrant\n"
                                          << passport << "," << id << ",,,warrant\n";
    std::ofstream(dir + "/comms.csv")
        << "time,src,dst,kind,duration_s,device,cell\n"
        << "2022-01-03T10:00:00Z," << phone << "," << counterpart << ",call,60,,\n";
    std::ofstream(dir + "/travel.csv")
        << "record_id,time,name,birth_date,document,nationality,origin,destination,carrier\n"
        << trip << ",2022-01-04T09:00:00Z," << name << "," << birth_date << "," << passport
        << ",ES,MAD,IST,TK\n";
    std::ofstream(dir + "/reports.csv")
        << "report_id,time,person_id,name,source,category,text\n"
        << report << ",2022-01-05T09:00:00Z," << id << ",,police,contact,\"met " << name << "\"\n";
  }

  // A travel.csv with two bad rows (a time that is not one): one of this
  // person (their name, passport number without its kind, and phone number
  // in the carrier column) and one of `other_name`, for a quarantine file.
  std::string BadTravelRows(const std::string& other_name) const {
    return "record_id,time,name,birth_date,document,nationality,origin,destination,carrier\n"
           "BAD-1,not-a-time," +
           name + "," + birth_date + "," + PassportNumber() + ",ES,MAD,IST," + PhoneNumber() +
           "\n"
           "BAD-2,not-a-time," +
           other_name + ",1990-01-01,,ES,MAD,IST,TK\n";
  }
};

// The bytes of the regular files directly in `dir` (not its sub-folders).
inline std::string BytesOfFilesIn(const std::string& dir) {
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return bytes;
}

// The identifiers of `person` found in `bytes`, in Identifiers() order.
inline std::vector<std::string> FoundIn(const std::string& bytes, const ErasedPerson& person) {
  std::vector<std::string> found;
  for (const std::string& id : person.Identifiers()) {
    if (bytes.find(id) != std::string::npos) found.push_back(id);
  }
  return found;
}

}  // namespace vigil::testing

#endif  // VIGIL_TESTS_SUPPORT_ERASED_PERSON_H_
