// One typing error in a name, as a check-in agent or a booking form makes
// it (internal to vigil_sim).
#ifndef VIGIL_SIM_TYPO_H_
#define VIGIL_SIM_TYPO_H_

#include <string>

#include "sim/rng.h"

namespace vigil::sim {

// Applies one error to an ASCII letter of `text`, never its first letter: a
// neighbouring key on a QWERTY keyboard, a dropped letter, a doubled letter
// or two letters swapped. Non-ASCII bytes are never touched, so UTF-8 stays
// valid; a text with no eligible letter is left unchanged. O(length).
void AddTypo(Rng& rng, std::string* text);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_TYPO_H_
