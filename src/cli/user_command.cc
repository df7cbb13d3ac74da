// vigil user add|passwd|grant|approve-grant|refuse-grant|pending-grants|
// revoke|role|disable|enable|list: accounts, roles and compartments (admins;
// anyone for their own password). Grants need a second admin (four eyes). New passwords come
// from $VIGIL_NEW_PASSWORD or, when it is unset, the first line of stdin.
#include <iostream>

#include "cli/command.h"
#include "vigil/oversight.h"

namespace vigil::cli {
namespace {

Result<std::string> NewPassword() {
  if (const char* env = std::getenv("VIGIL_NEW_PASSWORD"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  std::string line;
  if (!std::getline(std::cin, line) || line.empty()) {
    return Status::InvalidArgument("give the new password in VIGIL_NEW_PASSWORD or on stdin");
  }
  return line;
}

// Opens the access layer and runs `fn` with it, reporting any failure.
void WithOversight(CliContext& context, const std::function<Status(AccessStore&, Oversight&)>& fn) {
  auto store = OpenAccessForCli(context, /*must_exist=*/false);
  if (!store.ok()) return ReportFailure(context, store.status());
  Status status = fn(**store, (*store)->oversight());
  if (!status.ok()) ReportFailure(context, status);
}

}  // namespace

void RegisterUserCommand(CLI::App& app, CliContext& context) {
  struct Args {
    std::string name, role = "analyst", compartment;
    std::vector<std::string> compartments;
  };
  auto args = std::make_shared<Args>();
  CLI::App* user = app.add_subcommand("user", "User accounts, roles and compartments");
  user->require_subcommand(1);

  CLI::App* add =
      user->add_subcommand("add",
                           "Create an account (the first account ends setup mode); password from "
                           "VIGIL_NEW_PASSWORD or stdin");
  add->add_option("name", args->name, "User name")->required();
  add->add_option("--role", args->role, "analyst, supervisor, auditor or admin");
  add->add_option("--compartment", args->compartments, "A compartment (repeatable; '*' = all)");
  add->callback([args, &context] {
    WithOversight(context, [&](AccessStore& store, Oversight& oversight) -> Status {
      VIGIL_ASSIGN_OR_RETURN(Role role, ParseRole(args->role));
      VIGIL_ASSIGN_OR_RETURN(std::string password, NewPassword());
      VIGIL_RETURN_IF_ERROR(
          oversight.AddUser(store.context(), args->name, role, password, args->compartments));
      std::printf("user %s added (%s)\n", args->name.c_str(), args->role.c_str());
      if (!args->compartments.empty() && !store.context().principal.setup) {
        std::printf("its compartments wait for a second admin (vigil user approve-grant)\n");
      }
      return Status::Ok();
    });
  });

  CLI::App* passwd =
      user->add_subcommand("passwd", "Set a password (from VIGIL_NEW_PASSWORD or stdin)");
  passwd->add_option("name", args->name, "User name")->required();
  passwd->callback([args, &context] {
    WithOversight(context, [&](AccessStore& store, Oversight& oversight) -> Status {
      VIGIL_ASSIGN_OR_RETURN(std::string password, NewPassword());
      VIGIL_RETURN_IF_ERROR(oversight.SetPassword(store.context(), args->name, password));
      std::printf("password of %s changed\n", args->name.c_str());
      return Status::Ok();
    });
  });

  CLI::App* grant = user->add_subcommand(
      "grant", "Propose a compartment grant; a second admin approves it (approve-grant)");
  grant->add_option("name", args->name, "User name")->required();
  grant->add_option("compartment", args->compartment, "Compartment ('*' = all)")->required();
  grant->callback([args, &context] {
    WithOversight(context, [&](AccessStore& store, Oversight& oversight) -> Status {
      VIGIL_ASSIGN_OR_RETURN(bool granted,
                             oversight.Grant(store.context(), args->name, args->compartment));
      if (granted) {
        std::printf("%s may now see %s\n", args->name.c_str(), args->compartment.c_str());
      } else {
        std::printf("grant of %s to %s waits for a second admin (vigil user approve-grant)\n",
                    args->compartment.c_str(), args->name.c_str());
      }
      return Status::Ok();
    });
  });

  CLI::App* approve = user->add_subcommand(
      "approve-grant", "Approve a waiting grant (not its proposer, not the grantee)");
  approve->add_option("name", args->name, "User name")->required();
  approve->add_option("compartment", args->compartment, "The waiting grant's compartment")
      ->required();
  approve->callback([args, &context] {
    WithOversight(context, [&](AccessStore& store, Oversight& oversight) -> Status {
      VIGIL_RETURN_IF_ERROR(oversight.ApproveGrant(store.context(), args->name, args->compartment));
      std::printf("%s may now see %s\n", args->name.c_str(), args->compartment.c_str());
      return Status::Ok();
    });
  });

  CLI::App* refuse = user->add_subcommand("refuse-grant", "Drop a waiting grant");
  refuse->add_option("name", args->name, "User name")->required();
  refuse->add_option("compartment", args->compartment, "The waiting grant's compartment")
      ->required();
  refuse->callback([args, &context] {
    WithOversight(context, [&](AccessStore& store, Oversight& oversight) -> Status {
      VIGIL_RETURN_IF_ERROR(oversight.RefuseGrant(store.context(), args->name, args->compartment));
      std::printf("grant of %s to %s dropped\n", args->compartment.c_str(), args->name.c_str());
      return Status::Ok();
    });
  });

  CLI::App* pending = user->add_subcommand("pending-grants", "Grants waiting for approval");
  pending->callback([&context] {
    auto format = FormatOf(context);
    if (!format.ok()) return;
    WithOversight(context, [&](AccessStore& store, Oversight& oversight) -> Status {
      VIGIL_ASSIGN_OR_RETURN(auto grants, oversight.PendingGrants(store.context()));
      TableOutput table({"name", "compartment", "proposed_by", "proposed_at"}, *format, stdout);
      for (const PendingGrant& g : grants) {
        table.AddRow({g.user, g.compartment, g.proposed_by, FormatTime(g.proposed_at)});
      }
      return Status::Ok();
    });
  });

  for (const bool disable : {true, false}) {
    CLI::App* toggle = user->add_subcommand(
        disable ? "disable" : "enable",
        disable ? "Disable an account: it cannot log in and its server sessions end"
                : "Enable a disabled account");
    toggle->add_option("name", args->name, "User name")->required();
    toggle->callback([args, &context, disable] {
      WithOversight(context, [&](AccessStore& store, Oversight& oversight) -> Status {
        VIGIL_RETURN_IF_ERROR(oversight.SetDisabled(store.context(), args->name, disable));
        std::printf("user %s %s\n", args->name.c_str(), disable ? "disabled" : "enabled");
        return Status::Ok();
      });
    });
  }

  CLI::App* revoke = user->add_subcommand("revoke", "Revoke a compartment");
  revoke->add_option("name", args->name, "User name")->required();
  revoke->add_option("compartment", args->compartment, "Compartment")->required();
  revoke->callback([args, &context] {
    WithOversight(context, [&](AccessStore& store, Oversight& oversight) -> Status {
      VIGIL_RETURN_IF_ERROR(oversight.Revoke(store.context(), args->name, args->compartment));
      std::printf("%s may no longer see %s\n", args->name.c_str(), args->compartment.c_str());
      return Status::Ok();
    });
  });

  CLI::App* role = user->add_subcommand("role", "Change a user's role");
  role->add_option("name", args->name, "User name")->required();
  role->add_option("role", args->role, "analyst, supervisor, auditor or admin")->required();
  role->callback([args, &context] {
    WithOversight(context, [&](AccessStore& store, Oversight& oversight) -> Status {
      VIGIL_ASSIGN_OR_RETURN(Role parsed, ParseRole(args->role));
      return oversight.SetRole(store.context(), args->name, parsed);
    });
  });

  CLI::App* list = user->add_subcommand("list", "List accounts");
  list->callback([&context] {
    auto format = FormatOf(context);
    if (!format.ok()) return;
    WithOversight(context, [&](AccessStore& store, Oversight& oversight) -> Status {
      VIGIL_ASSIGN_OR_RETURN(auto users, oversight.ListUsers(store.context()));
      TableOutput table({"name", "role", "compartments"}, *format, stdout);
      for (const UserInfo& u : users) {
        std::string compartments;
        for (const auto& c : u.compartments) compartments += (compartments.empty() ? "" : "|") + c;
        table.AddRow({u.name, std::string(RoleName(u.role)), compartments});
      }
      return Status::Ok();
    });
  });
}

}  // namespace vigil::cli
