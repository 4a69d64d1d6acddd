// The JJ format that tau-ARGUS and sdcTable exchange: cells with values,
// costs, statuses, a-priori bounds and protection levels, then the linear
// relations.
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/sv.h"
#include "common/text_checks.h"
#include "gdprkit/suppression.h"
#include "suppression/internal/sdc_model.h"

namespace gdprkit {
namespace {

using internal::AV;
using internal::kInf;

// Bounds at or beyond this magnitude mean "unbounded".
constexpr double kJJInfinity = 1e30;

std::string FormatNumber(double v) {
  if (std::isinf(v)) return v > 0 ? "1e+30" : "-1e+30";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return absl::StrCat(static_cast<int64_t>(v));
  std::string s = absl::StrFormat("%.15g", v);
  double back = 0;
  if (absl::SimpleAtod(s, &back) && back == v) return s;
  return absl::StrFormat("%.17g", v);
}

struct Lines {
  std::vector<std::string_view> lines;
  size_t next = 0;
  // The next non-blank line and its number (1-based), or false at the end.
  bool Next(std::string_view* line, int* number) {
    while (next < lines.size()) {
      std::string_view l = lines[next++];
      while (!l.empty() && (l.back() == '\r' || l.back() == ' ' || l.back() == '\t')) {
        l.remove_suffix(1);
      }
      while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
      if (l.empty()) continue;
      *line = l;
      *number = static_cast<int>(next);
      return true;
    }
    return false;
  }
  // Lines not read yet (blank ones included): an upper bound on the records
  // left, checked before a count from the input sizes an allocation.
  size_t Left() const { return lines.size() - next; }
};

std::vector<std::string> Tokens(std::string_view line) {
  std::string spaced;
  for (char c : line) {
    if (c == '(' || c == ')' || c == ':') {
      spaced.push_back(' ');
      spaced.push_back(c);
      spaced.push_back(' ');
    } else {
      spaced.push_back(c == '\t' ? ' ' : c);
    }
  }
  std::vector<std::string> out = absl::StrSplit(spaced, ' ', absl::SkipEmpty());
  return out;
}

absl::Status Bad(int line, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("JJ line ", line, ": ", AV(what)));
}

bool ParseDouble(const std::string& s, double* out) {
  if (!absl::SimpleAtod(s, out)) return false;
  if (std::isnan(*out)) return false;
  return true;
}

}  // namespace

absl::StatusOr<JJProblem> ParseJJ(std::string_view text) {
  if (absl::Status st = internal::CheckIsText(AV(text), "JJ input"); !st.ok()) return st;
  Lines in;
  for (absl::string_view l : absl::StrSplit(AV(text), '\n')) in.lines.push_back(internal::SV(l));
  std::string_view line;
  int no = 0;
  if (!in.Next(&line, &no)) return absl::InvalidArgumentError("JJ input is empty");
  if (line != "0") return Bad(no, "the first line must be 0");
  if (!in.Next(&line, &no))
    return absl::InvalidArgumentError("JJ input ends before the cell count");
  int64_t ncells = 0;
  if (!absl::SimpleAtoi(AV(line), &ncells) || ncells < 1 || ncells > 100'000'000) {
    return Bad(no,
               absl::StrCat("the cell count must be a positive integer, not \"", AV(line), "\""));
  }
  if (static_cast<uint64_t>(ncells) > in.Left()) {
    return Bad(
        no, absl::StrCat("the cell count is ", ncells, " but only ", in.Left(), " lines follow"));
  }
  std::vector<LinearCell> cells(ncells);
  std::vector<Protection> protection(ncells);
  std::vector<bool> suppressed(ncells, false);
  for (int64_t i = 0; i < ncells; ++i) {
    if (!in.Next(&line, &no)) {
      return absl::InvalidArgumentError(
          absl::StrCat("JJ input ends after ", i, " of ", ncells, " cells"));
    }
    const std::vector<std::string> t = Tokens(line);
    if (t.size() != 9 && t.size() != 8) {
      return Bad(no, absl::StrCat("a cell line has 9 fields (index value cost status lb ub LPL "
                                  "UPL SPL) or 8 without the status; found ",
                                  t.size()));
    }
    const bool has_status = t.size() == 9;
    int64_t index = -1;
    if (!absl::SimpleAtoi(t[0], &index) || index != i) {
      return Bad(no, absl::StrCat("cell index \"", t[0], "\" should be ", i));
    }
    const char* names[] = {"value", "cost", "lb", "ub", "LPL", "UPL", "SPL"};
    double num[7];
    const int fields[7] = {1,
                           2,
                           has_status ? 4 : 3,
                           has_status ? 5 : 4,
                           has_status ? 6 : 5,
                           has_status ? 7 : 6,
                           has_status ? 8 : 7};
    for (int f = 0; f < 7; ++f) {
      if (!ParseDouble(t[fields[f]], &num[f])) {
        return Bad(no, absl::StrCat("cell ", i, ": ", names[f], " \"", t[fields[f]],
                                    "\" is not a number"));
      }
    }
    LinearCell& c = cells[i];
    c.name = absl::StrCat(i);
    c.value = num[0];
    c.cost = num[1];
    c.lower_bound = num[2] <= -kJJInfinity ? -kInf : num[2];
    c.upper_bound = num[3] >= kJJInfinity ? kInf : num[3];
    for (int f = 4; f < 7; ++f) {
      if (!std::isfinite(num[f]) || num[f] < 0 || num[f] > 1e15) {
        return Bad(
            no, absl::StrCat("cell ", i, ": ", names[f], " must be finite, >= 0 and at most 1e15"));
      }
    }
    char status = 0;
    if (has_status) {
      if (t[3].size() != 1) return Bad(no, absl::StrCat("unknown status \"", t[3], "\""));
      status = static_cast<char>(t[3][0] | 0x20);  // lower case
      if (status != 's' && status != 'u' && status != 'z' && status != 'm' && status != 'x') {
        return Bad(no, absl::StrCat("unknown status \"", t[3],
                                    "\" (s safe, u unsafe, z must be published, m suppressed)"));
      }
    } else {
      status = (num[4] > 0 || num[5] > 0 || num[6] > 0) ? 'u' : 's';
    }
    if (status == 'z') c.mark = CellMark::kSafe;
    if (status == 'u') {
      protection[i].primary = true;
      protection[i].reasons = kReasonManual;
      protection[i].lower = num[4];
      protection[i].upper = num[5];
      protection[i].sliding = num[6];
      suppressed[i] = true;
    }
    if (status == 'm' || status == 'x') suppressed[i] = true;
  }
  if (!in.Next(&line, &no)) {
    return absl::InvalidArgumentError("JJ input ends before the relation count");
  }
  int64_t nrel = 0;
  if (!absl::SimpleAtoi(AV(line), &nrel) || nrel < 0 || nrel > 1'000'000'000) {
    return Bad(no,
               absl::StrCat("the relation count must be an integer >= 0, not \"", AV(line), "\""));
  }
  if (static_cast<uint64_t>(nrel) > in.Left()) {
    return Bad(
        no, absl::StrCat("the relation count is ", nrel, " but only ", in.Left(), " lines follow"));
  }
  std::vector<LinearRelation> relations(nrel);
  for (int64_t r = 0; r < nrel; ++r) {
    if (!in.Next(&line, &no)) {
      return absl::InvalidArgumentError(
          absl::StrCat("JJ input ends after ", r, " of ", nrel, " relations"));
    }
    const std::vector<std::string> t = Tokens(line);
    int64_t nterms = 0;
    if (t.size() < 3 || !ParseDouble(t[0], &relations[r].rhs) || !absl::SimpleAtoi(t[1], &nterms) ||
        t[2] != ":") {
      return Bad(no, "a relation reads \"rhs nterms : cell (coef) cell (coef) ...\"");
    }
    if (nterms < 1 || static_cast<int64_t>(t.size()) != 3 + 4 * nterms) {
      return Bad(no, absl::StrCat("relation ", r, " announces ", nterms,
                                  " terms but lists a different number"));
    }
    for (int64_t k = 0; k < nterms; ++k) {
      const size_t at = 3 + 4 * k;
      int64_t cell = -1;
      double coef = 0;
      if (!absl::SimpleAtoi(t[at], &cell) || t[at + 1] != "(" || !ParseDouble(t[at + 2], &coef) ||
          t[at + 3] != ")") {
        return Bad(no, absl::StrCat("relation ", r, " term ", k + 1,
                                    " should read \"cell (coefficient)\""));
      }
      if (cell < 0 || cell >= ncells) {
        return Bad(no,
                   absl::StrCat("relation ", r, " refers to cell ", cell, "; there are ", ncells));
      }
      relations[r].cells.push_back(static_cast<int>(cell));
      relations[r].coefficients.push_back(coef);
    }
  }
  if (in.Next(&line, &no)) return Bad(no, "unexpected text after the last relation");
  absl::StatusOr<CellTable> table =
      CellTable::FromRelations(TableKind::kMagnitude, cells, relations, 1e-6);
  if (!table.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("JJ input: ", table.status().message()));
  }
  JJProblem out;
  out.table = *std::move(table);
  out.protection = std::move(protection);
  out.suppressed = std::move(suppressed);
  return out;
}

absl::StatusOr<JJProblem> ReadJJFile(const std::string& path) {
  absl::StatusOr<std::string> text = internal::ReadSmallFile(path, size_t{1} << 31, "JJ");
  if (!text.ok()) return text.status();
  return ParseJJ(*text);
}

absl::StatusOr<std::string> WriteJJ(const CellTable& table,
                                    const std::vector<Protection>& protection,
                                    const std::vector<double>& costs,
                                    const std::vector<CellStatus>* status) {
  const internal::SdcData& d = table.data();
  const int n = d.num_cells();
  if (static_cast<int>(protection.size()) != n || static_cast<int>(costs.size()) != n ||
      (status != nullptr && static_cast<int>(status->size()) != n)) {
    return absl::InvalidArgumentError(
        absl::StrCat("WriteJJ needs one protection, cost and status per cell (", n, " cells)"));
  }
  std::string out = absl::StrCat("0\n", n, "\n");
  for (int c = 0; c < n; ++c) {
    const Protection& p = protection[c];
    char st = 's';
    if (p.primary) {
      st = 'u';
    } else if (status != nullptr && (*status)[c] != CellStatus::kPublished) {
      st = 'm';
    } else if (d.mark[c] == CellMark::kSafe) {
      st = 'z';
    }
    absl::StrAppend(&out, c, " ", FormatNumber(d.value[c]), " ", FormatNumber(costs[c]), " ",
                    std::string(1, st), " ", FormatNumber(d.lower_bound[c]), " ",
                    FormatNumber(d.upper_bound[c]), " ", FormatNumber(p.primary ? p.lower : 0), " ",
                    FormatNumber(p.primary ? p.upper : 0), " ",
                    FormatNumber(p.primary ? p.sliding : 0), "\n");
  }
  absl::StrAppend(&out, d.num_relations(), "\n");
  for (int r = 0; r < d.num_relations(); ++r) {
    absl::StrAppend(&out, FormatNumber(d.rel_rhs[r]), " ", d.rel_start[r + 1] - d.rel_start[r],
                    " :");
    for (int k = d.rel_start[r]; k < d.rel_start[r + 1]; ++k) {
      absl::StrAppend(&out, " ", d.rel_cell[k], " (", FormatNumber(d.rel_coef[k]), ")");
    }
    absl::StrAppend(&out, "\n");
  }
  return out;
}

}  // namespace gdprkit
