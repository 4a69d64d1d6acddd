// Internal data of hierarchies and cell tables (statistical disclosure
// control). Public API: include/gdprkit/suppression.h.
#ifndef GDPRKIT_SRC_SUPPRESSION_INTERNAL_SDC_MODEL_H_
#define GDPRKIT_SRC_SUPPRESSION_INTERNAL_SDC_MODEL_H_

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gdprkit/suppression.h"

namespace gdprkit::internal {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct HierarchyData {
  std::string name;
  std::vector<std::string> codes;          // pre-order, root first
  std::vector<int> parent;                 // -1 for the root
  std::vector<std::vector<int>> children;  // in input order
  std::vector<int> depth;
  absl::flat_hash_map<std::string, int> index;  // lookup only, never iterated
};

// One table built from hierarchies: a dense array over the product of its
// codes (last dimension fastest) mapping each position to its global cell.
struct ProductTable {
  std::string name;
  std::vector<Hierarchy> dims;
  std::vector<int> sizes;
  std::vector<int> stride;
  std::vector<int> cell_of;  // position -> global cell

  int Position(const std::vector<int>& codes) const {
    int pos = 0;
    for (size_t d = 0; d < codes.size(); ++d) pos += codes[d] * stride[d];
    return pos;
  }
  int CodeAt(int position, int dim) const { return (position / stride[dim]) % sizes[dim]; }
};

struct SdcData {
  TableKind kind = TableKind::kFrequency;

  // Cells. Names are stored for tables given by relations; for tables built
  // from hierarchies they are made on demand from the codes.
  std::vector<std::string> name;
  std::vector<double> value;
  std::vector<std::int64_t> contributors;
  std::vector<std::vector<double>> largest;
  std::vector<double> cost;  // override or NaN
  std::vector<CellMark> mark;
  std::vector<double> manual_upper, manual_lower;
  std::vector<double> lower_bound, upper_bound;  // a priori (attacker)

  // Relations in CSR form: sum coef * value = rhs.
  std::vector<int> rel_start{0};
  std::vector<int> rel_cell;
  std::vector<double> rel_coef;
  std::vector<double> rel_rhs;
  // Where a relation came from (table, dimension, position of its total) for
  // names; table -1 for relations given directly.
  std::vector<int> rel_table, rel_dim, rel_pos;

  // Cell -> relations (CSR).
  std::vector<int> cr_start;
  std::vector<int> cr_rel;

  // Tables built from hierarchies.
  std::vector<ProductTable> tables;
  // One (table, position) per cell, or -1; and how many tables hold the cell.
  std::vector<int> home_table, home_pos;
  std::vector<int> table_count;

  absl::flat_hash_map<std::string, int> name_index;  // relation tables; lookup only

  int num_cells() const { return static_cast<int>(value.size()); }
  int num_relations() const { return static_cast<int>(rel_rhs.size()); }
  bool integer() const { return kind == TableKind::kFrequency; }

  // Fills cr_start/cr_rel from the relations.
  void BuildCellIndex();
  std::string CellName(int c) const;
  std::string RelationName(int r) const;
};

// The relative tolerance used to decide whether a relation holds.
inline double RelationTolerance(double scale) { return 1e-9 * (1.0 + scale); }

}  // namespace gdprkit::internal

#endif  // GDPRKIT_SRC_SUPPRESSION_INTERNAL_SDC_MODEL_H_
