// The address-name signal: an e-mail address or messenger handle that the
// store holds without an owner and that spells a known person's name
// ("karim.benali77@example.org" for Karim Benali), matched by the names
// module (transliteration, spelling variants, aliases) (internal to
// src/resolve).
//
// Why: e-mail addresses carry no handset and no cell, and many correspond
// only with other unowned addresses, so the behavioural signals cannot
// reach them (bench/resolve/README.md: contact-profile similarity was
// measured and has too few comms per address to decide). People commonly
// write their own name in an address; the names module scores it the way
// it scores a traveller's name against a watch list. A single token (a
// given name alone, as in most handles) is not used: most people sharing it
// are unknown to the service. A name two known people match equally well
// links neither; a close runner-up and the number of rivals are features,
// so a common name does not make a strong link.
#ifndef VIGIL_RESOLVE_ADDRESS_NAMES_H_
#define VIGIL_RESOLVE_ADDRESS_NAMES_H_

#include <string>
#include <string_view>
#include <vector>

#include "resolve/calibration.h"
#include "resolve/clusters.h"
#include "resolve/links.h"
#include "resolve/observations.h"
#include "vigil/store.h"

namespace vigil::resolve {

// The name an address spells: its local part (e-mail) or handle name, with
// digits dropped and '.', '_', '-' and '+' read as spaces; "" when it holds
// no letters. Pure; O(length).
std::string AddressName(std::string_view selector);

// One link per unattributed e-mail address or handle (seen in at least one
// communication, spelling at least two names) whose spelled name best and
// clearly (score >= 0.9, margin >= 0.02) matches a known person who has a
// known selector (the link's `b`). Features: best screening score, its
// margin over the next person, log1p of the other addresses linked to the
// same person (homonyms; the evidence names them), whether every word of the
// address is within one edit of a word of the person's name transliterated
// or with its non-ASCII letters left out (written out, not merely similar).
// Time O(P + A * screening cost)
// for P persons and A such addresses; memory O(P + A).
Result<std::vector<Link>> AddressNameLinks(Store& store, const Observations& obs,
                                           const Decisions& decisions);

// The shipped model of the signal (see address_names.cc for how it was
// fitted).
const SignalModel& AddressNameModel();

}  // namespace vigil::resolve

#endif  // VIGIL_RESOLVE_ADDRESS_NAMES_H_
