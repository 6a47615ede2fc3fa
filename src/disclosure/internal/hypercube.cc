// The hypercube baseline (GHMITER-style) on HiTaS-linked sub-tables; see suppression.h.
#include <algorithm>
#include <deque>
#include <limits>
#include <set>

#include "disclosure/internal/subtables.h"

namespace sz::disclosure::internal {

namespace {

class Hypercube {
 public:
  Hypercube(const SuppressionInput& in, std::vector<CellStatus>& status)
      : in_(in), layout_(in.layout), status_(status), need_(in.table.cells.size(), 0) {
    for (size_t i = 0; i < status.size(); ++i) {
      if (status[i] == CellStatus::kPrimary) {
        need_[i] = ProtectionLevel(in.table, in.protection, in.table.cells[i].value);
      }
    }
    queued_.assign(layout_.subtables.size(), false);
  }

  size_t Run() {
    std::vector<int> order(layout_.subtables.size());
    for (size_t s = 0; s < order.size(); ++s) order[s] = static_cast<int>(s);
    std::stable_sort(order.begin(), order.end(), [this](int x, int y) {
      return layout_.subtables[static_cast<size_t>(x)].level <
             layout_.subtables[static_cast<size_t>(y)].level;
    });
    for (int s : order) Enqueue(s);
    while (!queue_.empty()) {
      int s = queue_.front();
      queue_.pop_front();
      queued_[static_cast<size_t>(s)] = false;
      Process(s);
    }
    return unresolved_;
  }

 private:
  void Enqueue(int s) {
    if (s < 0 || queued_[static_cast<size_t>(s)]) return;
    queued_[static_cast<size_t>(s)] = true;
    queue_.push_back(s);
  }
  bool Suppressed(const Arc& arc) const { return status_[arc.cell] != CellStatus::kPublished; }
  double Capacity(const Arc& arc) const {
    return in_.table.cells[arc.cell].value - layout_.lower_bound;
  }
  // Can corner q follow p's change (up by theta_up, down by theta_down)? `same` is true
  // for the corner diagonal to p (its y moves with p's), false for the two beside p.
  static bool CornerOk(const Arc& p, const Arc& q, bool same, double cap, double up,
                       double down) {
    const int dy = (same ? 1 : -1) * p.ysign;  // q's y change when p's x goes up
    const int dx = dy * q.ysign;
    return cap >= (dx < 0 ? up : down) * (1 - 1e-12);
  }
  double Cost(const Arc& arc) const { return Suppressed(arc) ? 0 : in_.cost[arc.cell]; }

  void Process(int s) {
    const Subtable& sub = layout_.subtables[static_cast<size_t>(s)];
    std::vector<int> grid(sub.rows.size() * static_cast<size_t>(sub.column_count), -1);
    for (int a = 0; a < static_cast<int>(sub.arcs.size()); ++a) {
      const Arc& arc = sub.arcs[static_cast<size_t>(a)];
      grid[static_cast<size_t>(arc.row) * static_cast<size_t>(sub.column_count) +
           static_cast<size_t>(arc.column - sub.first_column)] = a;
    }
    auto at = [&](int row, int column) {
      return grid[static_cast<size_t>(row) * static_cast<size_t>(sub.column_count) +
                  static_cast<size_t>(column - sub.first_column)];
    };
    for (int a = 0; a < static_cast<int>(sub.arcs.size()); ++a) {
      const Arc& p = sub.arcs[static_cast<size_t>(a)];
      if (!Suppressed(p) || failed_.count({s, a}) > 0 || built_.count({p.cell, s}) > 0) {
        continue;
      }
      const double value = in_.table.cells[p.cell].value;
      const double up = std::max(need_[p.cell], 1e-6 * std::max(1.0, std::abs(value)));
      const double down = std::min(up, Capacity(p));
      std::vector<int> best;
      double best_cost = std::numeric_limits<double>::infinity();
      bool covered = false;
      if (layout_.two_d) {
        for (int k = 0; k < static_cast<int>(sub.rows.size()) && !covered; ++k) {
          if (k == p.row) continue;
          for (int c = sub.first_column; c < sub.first_column + sub.column_count; ++c) {
            if (c == p.column) continue;
            int q1 = at(p.row, c), q2 = at(k, p.column), q3 = at(k, c);
            if (q1 < 0 || q2 < 0 || q3 < 0) continue;
            const Arc& a1 = sub.arcs[static_cast<size_t>(q1)];
            const Arc& a2 = sub.arcs[static_cast<size_t>(q2)];
            const Arc& a3 = sub.arcs[static_cast<size_t>(q3)];
            if (!CornerOk(p, a1, false, Capacity(a1), up, down) ||
                !CornerOk(p, a2, false, Capacity(a2), up, down) ||
                !CornerOk(p, a3, true, Capacity(a3), up, down)) {
              continue;
            }
            double cost = Cost(a1) + Cost(a2) + Cost(a3);
            if (cost == 0) {
              covered = true;
              break;
            }
            if (cost < best_cost) {
              best_cost = cost;
              best = {q1, q2, q3};
            }
          }
        }
      } else {
        for (int q = 0; q < static_cast<int>(sub.arcs.size()); ++q) {
          const Arc& aq = sub.arcs[static_cast<size_t>(q)];
          if (q == a || !CornerOk(p, aq, false, Capacity(aq), up, down)) continue;
          double cost = Cost(aq);
          if (cost == 0) {
            covered = true;
            break;
          }
          if (cost < best_cost) {
            best_cost = cost;
            best = {q};
          }
        }
      }
      if (covered) continue;
      if (best.empty()) {
        failed_.insert({s, a});
        ++unresolved_;
        continue;
      }
      // The rectangle moves all its corners together, so inside this sub-table they are
      // protected by construction; they still need balancing where they are linked.
      built_.insert({p.cell, s});
      for (int q : best) {
        const Arc& corner = sub.arcs[static_cast<size_t>(q)];
        if (Suppressed(corner)) continue;  // keeps its own requirement
        built_.insert({corner.cell, s});
        SuppressArc(sub, corner, up);
      }
    }
  }

  void SuppressArc(const Subtable& sub, const Arc& arc, double theta) {
    if (Suppressed(arc)) return;
    status_[arc.cell] = CellStatus::kSecondary;
    need_[arc.cell] = theta;
    const auto category = static_cast<size_t>(sub.rows[static_cast<size_t>(arc.row)]);
    const auto g = static_cast<size_t>(layout_.Group(arc.column));
    Enqueue(layout_.as_child[category][g]);
    Enqueue(layout_.as_total[category][g]);
  }

  const SuppressionInput& in_;
  const Layout& layout_;
  std::vector<CellStatus>& status_;
  std::vector<double> need_;  // protection each suppressed cell must get in its sub-tables
  std::deque<int> queue_;
  std::vector<bool> queued_;
  std::set<std::pair<int, int>> failed_;           // (sub-table, arc) with no rectangle
  std::set<std::pair<size_t, int>> built_;        // (cell, sub-table) inside a rectangle
  size_t unresolved_ = 0;
};

}  // namespace

size_t HypercubeSuppress(const SuppressionInput& in, std::vector<CellStatus>& status) {
  return Hypercube(in, status).Run();
}

}  // namespace sz::disclosure::internal
