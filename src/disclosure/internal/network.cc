// Castro's shortest-path heuristic on HiTaS-linked sub-tables; see suppression.h and
// internal/subtables.h for the model.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <queue>
#include <unordered_map>

#include "disclosure/internal/subtables.h"

namespace sz::disclosure::internal {

namespace {

// One arc of a path or cycle, and the way it is walked: forward is row -> column (the
// cell's y changes by +theta), backward is column -> row (-theta).
struct Step {
  int arc;
  bool forward;
};

// A request to balance two cells of a linked row inside another sub-table: a path from
// node `from` to node `to` that avoids every arc of row `forbidden` (a category of A).
struct Demand {
  int subtable;
  int from;
  int to;
  int32_t forbidden;
  double theta;
};

struct DemandKey {
  int subtable, from, to;
  int32_t forbidden;
  bool operator==(const DemandKey&) const = default;
};
struct DemandKeyHash {
  size_t operator()(const DemandKey& k) const {
    size_t h = std::hash<int>()(k.subtable);
    h = h * 1000003u ^ std::hash<int>()(k.from);
    h = h * 1000003u ^ std::hash<int>()(k.to);
    return h * 1000003u ^ std::hash<int32_t>()(k.forbidden);
  }
};

class Network {
 public:
  Network(const SuppressionInput& in, std::vector<CellStatus>& status)
      : in_(in), layout_(in.layout), status_(status) {
    double max_cost = 1;
    for (double c : in.cost) max_cost = std::max(max_cost, c);
    // Using a sub-table's total row forces work in the sub-table above (already
    // processed, top-down): only when nothing else protects the cell.
    penalty_ = 1e6 * max_cost;
  }

  size_t Run() {
    struct Task {
      int subtable;
      int arc;
      double level;
    };
    std::vector<Task> tasks;
    for (int s = 0; s < static_cast<int>(layout_.subtables.size()); ++s) {
      const Subtable& sub = layout_.subtables[static_cast<size_t>(s)];
      const bool root = Parent(sub.total) < 0;
      for (int a = 0; a < static_cast<int>(sub.arcs.size()); ++a) {
        const Arc& arc = sub.arcs[static_cast<size_t>(a)];
        if (status_[arc.cell] != CellStatus::kPrimary) continue;
        if (arc.row == 0 && !root) continue;  // owned by the sub-table above
        tasks.push_back({s, a, Level(in_.table.cells[arc.cell].value)});
      }
    }
    // HiTaS order: top of the hierarchy first; within a level, the widest protection.
    std::stable_sort(tasks.begin(), tasks.end(), [this](const Task& x, const Task& y) {
      int lx = layout_.subtables[static_cast<size_t>(x.subtable)].level;
      int ly = layout_.subtables[static_cast<size_t>(y.subtable)].level;
      return lx != ly ? lx < ly : x.level > y.level;
    });
    for (const Task& t : tasks) {
      ProtectPrimary(t.subtable, t.arc, /*up=*/true);
      ProtectPrimary(t.subtable, t.arc, /*up=*/false);
    }
    return unresolved_;
  }

 private:
  double Level(double value) const { return ProtectionLevel(in_.table, in_.protection, value); }
  int32_t Parent(int32_t category) const {
    return in_.table.dimensions[static_cast<size_t>(layout_.a_dim)]
        .categories[static_cast<size_t>(category)]
        .parent;
  }
  double Capacity(const Arc& arc) const {
    return in_.table.cells[arc.cell].value - layout_.lower_bound;
  }
  // x change of the arc per unit of flow walked this way.
  static int Dx(const Arc& arc, bool forward) { return (forward ? 1 : -1) * arc.ysign; }
  // How much more the arc can carry this way within the current protection: unlimited
  // upwards (no a priori upper bound), down to the lower bound otherwise.
  double Residual(const Arc& arc, bool forward) const {
    if (Dx(arc, forward) > 0) return std::numeric_limits<double>::infinity();
    auto it = net_.find(arc.cell);
    return Capacity(arc) + (it == net_.end() ? 0 : it->second);
  }
  double ArcCost(const Subtable& sub, const Arc& arc) const {
    if (status_[arc.cell] != CellStatus::kPublished) return 0;
    double c = in_.cost[arc.cell];
    if (arc.row == 0 && Parent(sub.total) >= 0) c += penalty_;
    return c;
  }
  int32_t RowCategory(const Subtable& sub, const Arc& arc) const {
    return sub.rows[static_cast<size_t>(arc.row)];
  }

  // Dijkstra from `from` to `to` over arcs that can each carry at least `need`.
  std::optional<std::vector<Step>> ShortestPath(const Subtable& sub, int from, int to,
                                                double need, int excluded_arc,
                                                int32_t forbidden) const {
    const int n = sub.node_count();
    std::vector<double> dist(static_cast<size_t>(n), std::numeric_limits<double>::infinity());
    std::vector<int> via(static_cast<size_t>(n), -1);
    using Entry = std::pair<double, int>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    dist[static_cast<size_t>(from)] = 0;
    queue.push({0, from});
    while (!queue.empty()) {
      auto [d, u] = queue.top();
      queue.pop();
      if (d > dist[static_cast<size_t>(u)]) continue;
      if (u == to) break;
      const bool at_row = u < sub.row_nodes;
      for (int a : sub.incident[static_cast<size_t>(u)]) {
        const Arc& arc = sub.arcs[static_cast<size_t>(a)];
        if (a == excluded_arc || RowCategory(sub, arc) == forbidden) continue;
        if (Residual(arc, /*forward=*/at_row) < need * (1 - 1e-12)) continue;
        const int v = at_row ? arc.col_node : arc.row_node;
        const double nd = d + ArcCost(sub, arc);
        if (nd < dist[static_cast<size_t>(v)]) {
          dist[static_cast<size_t>(v)] = nd;
          via[static_cast<size_t>(v)] = a;
          queue.push({nd, v});
        }
      }
    }
    if (via[static_cast<size_t>(to)] < 0 && to != from) return std::nullopt;
    std::vector<Step> path;
    for (int v = to; v != from;) {
      const Arc& arc = sub.arcs[static_cast<size_t>(via[static_cast<size_t>(v)])];
      const bool forward = v == arc.col_node;  // arrived at a column: walked row -> column
      path.push_back({via[static_cast<size_t>(v)], forward});
      v = forward ? arc.row_node : arc.col_node;
    }
    std::reverse(path.begin(), path.end());
    return path;
  }

  // The sub-table a change in row `row` (position in `sub`) must also be balanced in.
  int LinkedSubtable(const Subtable& sub, int row, int column) const {
    const int32_t category = sub.rows[static_cast<size_t>(row)];
    const int g = layout_.Group(column);
    if (row == 0) {
      return Parent(category) >= 0
                 ? layout_.as_child[static_cast<size_t>(category)][static_cast<size_t>(g)]
                 : -1;
    }
    return layout_.as_total[static_cast<size_t>(category)][static_cast<size_t>(g)];
  }

  // Demands created by a walk through `sub`. `steps` is a path (closed when `cyclic`);
  // rows where the walk turns are the ones whose two changed cells need balancing
  // elsewhere. `skip` is the row already balanced by the caller (-1: none).
  void CollectDemands(int s, const std::vector<Step>& steps, bool cyclic, int32_t skip,
                      double theta, std::vector<Demand>& out) const {
    const Subtable& sub = layout_.subtables[static_cast<size_t>(s)];
    const size_t n = steps.size();
    if (!layout_.two_d) {
      // 1-D: every arc is its own row; its change is balanced below (or above) alone.
      for (const Step& step : steps) {
        const Arc& arc = sub.arcs[static_cast<size_t>(step.arc)];
        if (RowCategory(sub, arc) == skip) continue;
        int t = LinkedSubtable(sub, arc.row, arc.column);
        if (t < 0) continue;
        const Subtable& target = layout_.subtables[static_cast<size_t>(t)];
        int col = target.ColumnNode(arc.column);
        // Walked free node -> column here; the same change is walked column -> free
        // node there, so the closing path runs free node -> column.
        out.push_back(step.forward ? Demand{t, 0, col, RowCategory(sub, arc), theta}
                                   : Demand{t, col, 0, RowCategory(sub, arc), theta});
      }
      return;
    }
    for (size_t i = 0; i + (cyclic ? 0 : 1) < n; ++i) {
      const Step& in = steps[i];
      const Step& out_step = steps[(i + 1) % n];
      if (in.forward) continue;  // the walk turns at a column node: nothing to link
      const Arc& a_in = sub.arcs[static_cast<size_t>(in.arc)];
      const Arc& a_out = sub.arcs[static_cast<size_t>(out_step.arc)];
      if (RowCategory(sub, a_in) == skip) continue;
      int t = LinkedSubtable(sub, a_in.row, a_in.column);
      if (t < 0) continue;
      const Subtable& target = layout_.subtables[static_cast<size_t>(t)];
      out.push_back({t, target.ColumnNode(a_in.column), target.ColumnNode(a_out.column),
                     RowCategory(sub, a_in), theta});
    }
  }

  // Pushes `theta` from node `from` to node `to` of sub-table `s` along one or more
  // cheapest paths (a single path when one can carry it all; otherwise successive
  // shortest paths on residual capacities, as in min-cost flow). Each path is closed by
  // `closing` (the primary's own step) when given. Suppresses the paths' cells, queues
  // the linked demands, and returns what could not be carried.
  double Carry(int s, int from, int to, double theta, const Step* closing,
               int32_t forbidden, std::vector<Demand>& demands) {
    const Subtable& sub = layout_.subtables[static_cast<size_t>(s)];
    const int excluded = closing != nullptr ? closing->arc : -1;
    const double tiny = 1e-9 * std::max(1.0, theta);
    double remaining = theta;
    for (int round = 0; round < 64 && remaining > tiny; ++round) {
      auto path = ShortestPath(sub, from, to, remaining, excluded, forbidden);
      if (!path) path = ShortestPath(sub, from, to, tiny, excluded, forbidden);
      if (!path) break;
      double flow = remaining;
      for (const Step& step : *path) {
        flow = std::min(flow, Residual(sub.arcs[static_cast<size_t>(step.arc)], step.forward));
      }
      std::vector<Step> walk;
      if (closing != nullptr) walk.push_back(*closing);
      walk.insert(walk.end(), path->begin(), path->end());
      for (const Step& step : walk) {
        const Arc& arc = sub.arcs[static_cast<size_t>(step.arc)];
        net_[arc.cell] += Dx(arc, step.forward) * flow;
        if (status_[arc.cell] == CellStatus::kPublished) {
          status_[arc.cell] = CellStatus::kSecondary;
        }
      }
      CollectDemands(s, walk, /*cyclic=*/closing != nullptr,
                     closing != nullptr ? -2 : forbidden, flow, demands);
      remaining -= flow;
    }
    return remaining > tiny ? remaining : 0;
  }

  void ProtectPrimary(int s, int a, bool up) {
    const Subtable& sub = layout_.subtables[static_cast<size_t>(s)];
    const Arc& arc = sub.arcs[static_cast<size_t>(a)];
    const double level = Level(in_.table.cells[arc.cell].value);
    const double theta = up ? level : std::min(level, Capacity(arc));
    if (theta <= 0) return;
    net_.clear();  // capacities are per protection: each needs its own feasible change
    // dx = +theta (up) or -theta (down); dy = dx * ysign decides the walking direction.
    const Step closing{a, (up ? 1 : -1) * arc.ysign > 0};
    const int start = closing.forward ? arc.col_node : arc.row_node;
    const int end = closing.forward ? arc.row_node : arc.col_node;
    std::vector<Demand> demands;
    if (Carry(s, start, end, theta, &closing, /*forbidden=*/-2, demands) > 0) ++unresolved_;
    Drain(demands);
  }

  // Satisfies demands depth-first; each may create more below or above.
  void Drain(std::vector<Demand>& stack) {
    while (!stack.empty()) {
      Demand d = stack.back();
      stack.pop_back();
      DemandKey key{d.subtable, d.from, d.to, d.forbidden};
      auto [it, inserted] = done_.emplace(key, d.theta);
      if (!inserted) {
        if (it->second >= d.theta) continue;  // an earlier path already carries this much
        it->second = d.theta;
      }
      if (Carry(d.subtable, d.from, d.to, d.theta, nullptr, d.forbidden, stack) > 0) {
        ++unresolved_;
      }
    }
  }

  const SuppressionInput& in_;
  const Layout& layout_;
  std::vector<CellStatus>& status_;
  double penalty_ = 0;
  size_t unresolved_ = 0;
  std::unordered_map<DemandKey, double, DemandKeyHash> done_;
  std::unordered_map<size_t, double> net_;  // cell -> x change in the current protection
};

}  // namespace

size_t NetworkSuppress(const SuppressionInput& in, std::vector<CellStatus>& status) {
  return Network(in, status).Run();
}

}  // namespace sz::disclosure::internal
