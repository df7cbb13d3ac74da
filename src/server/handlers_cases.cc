// People and cases: creating a subject (with its legal basis and review
// date), setting a watch level, what changed around a person, and cases with
// the category of data subject of each linked person.
#include "server/capability_handlers.h"
#include "server/handlers.h"
#include "util/hash.h"
#include "vigil/oversight.h"
#include "vigil/watch.h"

namespace vigil::server {
namespace {

Result<PersonStatus> ParseStatus(const std::string& text) {
  if (text == "subject") return PersonStatus::kSubject;
  if (text == "associate") return PersonStatus::kAssociate;
  if (text == "unknown") return PersonStatus::kUnknown;
  return Status::InvalidArgument("status: must be subject, associate or unknown");
}

// A subject must carry its legal basis and review date (DESIGN.md, story 7):
// InvalidArgument naming the missing field, before anything is written.
Status RequireLegalBasis(const Person& person) {
  if (person.status != PersonStatus::kSubject) return Status::Ok();
  if (person.legal_basis.empty()) {
    return Status::InvalidArgument("legal_basis: a subject needs a legal basis");
  }
  if (person.review_by.empty()) {
    return Status::InvalidArgument("review_by: a subject needs a review date (YYYY-MM-DD)");
  }
  return Status::Ok();
}

Json CaseJson(const CaseInfo& info) {
  Json links = Json::array();
  for (const CaseLinkInfo& link : info.links) {
    links.push_back(Json{{"person_id", link.person_id},
                         {"category", SubjectCategoryName(link.category)},
                         {"linked_by", link.linked_by},
                         {"linked_at", FormatTime(link.linked_at)}});
  }
  return Json{{"case_id", info.case_id},       {"compartment", info.compartment},
              {"created_by", info.created_by}, {"created_at", FormatTime(info.created_at)},
              {"links", std::move(links)},     {"links_withheld", info.links_withheld}};
}

}  // namespace

std::vector<std::string> SplitBars(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('|', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Status CheckBirthDateAndCountry(const std::string& birth_date, const std::string& nationality) {
  if (!birth_date.empty()) {
    Status date = ValidateBirthDate(birth_date, SystemClock().Now());
    if (!date.ok()) return Status::InvalidArgument("birth_date: " + date.message());
  }
  if (!nationality.empty()) {
    Status country = ValidateCountry(nationality);
    if (!country.ok()) return Status::InvalidArgument("nationality: " + country.message());
  }
  return Status::Ok();
}

Result<Json> HandleCreatePerson(HandlerContext& ctx, const ApiRequest& request) {
  Person person;
  person.person_id = request.String("person_id");
  person.name = request.String("name");
  person.aliases = SplitBars(request.String("aliases"));
  person.birth_date = request.String("birth_date");
  person.nationality = request.String("nationality");
  VIGIL_ASSIGN_OR_RETURN(person.status, ParseStatus(request.String("status", "subject")));
  person.compartment = request.String("compartment");
  person.legal_basis = request.String("legal_basis");
  person.review_by = request.String("review_by");
  VIGIL_RETURN_IF_ERROR(CheckBirthDateAndCountry(person.birth_date, person.nationality));
  VIGIL_RETURN_IF_ERROR(RequireLegalBasis(person));
  // Creation only: changing a person is ingest's job. A person the caller
  // may not see is refused by the writer below exactly like a compartment
  // the caller does not hold (access.h: ids are global, a known limit).
  Result<Person> existing = ctx.store.GetPerson(person.person_id);
  if (existing.ok()) {
    return Status::AlreadyExists(IdTakenMessage("person", person.person_id));
  }
  if (existing.status().code() != Status::Code::kNotFound) return existing.status();
  SourceFile file;
  file.path = "api:persons/" + person.person_id;
  file.kind = InputKind::kPersons;
  file.content_hash =
      HashBytes(person.person_id + "\n" + person.name + "\n" + ctx.store.context().principal.user +
                "\n" + std::to_string(ctx.clock.Now()));
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<StoreWriter> writer, ctx.store.BeginIngest(file));
  VIGIL_RETURN_IF_ERROR(writer->Put(person));
  VIGIL_RETURN_IF_ERROR(writer->Commit(1));
  return Json{{"person_id", person.person_id},
              {"status", PersonStatusName(person.status)},
              {"compartment",
               person.compartment.empty() ? std::string(kDefaultCompartment) : person.compartment},
              {"legal_basis", person.legal_basis},
              {"review_by", person.review_by},
              {"created_by", ctx.store.context().principal.user}};
}

Result<Json> HandleSetWatchLevel(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(WatchLevel level, ParseWatchLevel(request.String("level")));
  const std::string person_id = request.String("id");
  const std::string& user = ctx.store.context().principal.user;
  VIGIL_RETURN_IF_ERROR(SetWatchLevel(ctx.store, person_id, level, request.String("reason"), user,
                                      ctx.clock.Now(), request.Bool("reviewed", false)));
  return Json{{"person_id", person_id}, {"level", WatchLevelName(level)}, {"set_by", user}};
}

Result<Json> HandleChanges(HandlerContext& ctx, const ApiRequest& request) {
  std::optional<UnixTime> since;
  if (request.Has("since")) {
    VIGIL_ASSIGN_OR_RETURN(since, ParseTimeOrDate(request.String("since")));
  }
  const std::string person_id = request.String("id");
  VIGIL_ASSIGN_OR_RETURN(std::vector<Change> changes, ListChanges(ctx.store, person_id, since));
  Json out = Json::array();
  for (const Change& c : changes) {
    out.push_back(Json{{"time", FormatTime(c.time)}, {"change", c.kind}, {"detail", c.detail}});
  }
  return Json{{"person_id", person_id},
              {"since", since ? FormatTime(*since) : "last review"},
              {"changes", std::move(out)}};
}

Result<Json> HandleListCases(HandlerContext& ctx, const ApiRequest&) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<CaseInfo> cases,
                         ctx.store.oversight().ListCases(ctx.store.context()));
  Json out = Json::array();
  for (const CaseInfo& info : cases) out.push_back(CaseJson(info));
  return Json{{"cases", std::move(out)}};
}

Result<Json> HandleAddCase(HandlerContext& ctx, const ApiRequest& request) {
  const std::string case_id = request.String("case_id");
  const std::string compartment = request.String("compartment");
  VIGIL_RETURN_IF_ERROR(ctx.store.oversight().AddCase(ctx.store.context(), case_id, compartment));
  return Json{{"case_id", case_id},
              {"compartment", compartment},
              {"created_by", ctx.store.context().principal.user}};
}

Result<Json> HandleLinkCase(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(SubjectCategory category,
                         ParseSubjectCategory(request.String("category")));
  const std::string case_id = request.String("case");
  const std::string person_id = request.String("person_id");
  VIGIL_RETURN_IF_ERROR(
      ctx.store.oversight().LinkCase(ctx.store.context(), case_id, person_id, category));
  return Json{{"case_id", case_id},
              {"person_id", person_id},
              {"category", SubjectCategoryName(category)},
              {"linked_by", ctx.store.context().principal.user}};
}

}  // namespace vigil::server
