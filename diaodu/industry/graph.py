"""一链一图谱: the chain as an ECharts graph (nodes, links, categories)."""

from __future__ import annotations

from diaodu.industry.models import ChainEnterprise, IndustryChain

CATEGORIES = ["产业链", "上游", "中游", "下游", "链主企业", "项目"]
SEGMENT_CATEGORY = {"up": 1, "mid": 2, "down": 3}


def chain_graph(chain: IndustryChain, members: list[ChainEnterprise]) -> dict:
    """Nodes: the chain, its three segments, its enterprises (链主 larger) and the
    linked projects; links: chain → segment → enterprise, supplier → customer
    (配套对象), enterprise → project. Names are unique node ids."""
    nodes, links, seen = [], [], set()

    def node(name, category, size, **extra):
        if name in seen:
            return
        seen.add(name)
        nodes.append({"name": name, "category": category, "symbolSize": size, **extra})

    node(chain.name, 0, 64, label={"show": True, "fontSize": 14, "fontWeight": "bold"})
    segment_names = dict(ChainEnterprise.Segment.choices)
    for code, label in segment_names.items():
        if any(m.segment == code for m in members):
            node(f"{label}", SEGMENT_CATEGORY[code], 40, label={"show": True})
            links.append({"source": chain.name, "target": label})
    names = {m.name for m in members}
    for m in members:
        category = 4 if m.is_leader else SEGMENT_CATEGORY[m.segment]
        node(m.name, category, 34 if m.is_leader else 22, value=m.product or "",
             label={"show": True}, segment=segment_names[m.segment])
        links.append({"source": segment_names[m.segment], "target": m.name})
        if m.supplies_to and m.supplies_to in names:
            links.append({"source": m.name, "target": m.supplies_to, "value": "配套",
                          "lineStyle": {"type": "dashed", "width": 2}})
        for code in m.projects:
            node(code, 5, 14, label={"show": False})
            links.append({"source": m.name, "target": code, "value": "项目"})
    for code in chain.projects:
        node(code, 5, 14, label={"show": False})
        links.append({"source": chain.name, "target": code, "value": "项目"})
    place(nodes)
    return {"nodes": nodes, "links": links, "categories": [{"name": c} for c in CATEGORIES]}


def place(nodes: list[dict]) -> None:
    """Fixed positions, the same on every load and inside a 1000 × 600 canvas: the chain at the
    left, then one column per segment (上游 → 中游 → 下游) with its enterprises stacked under it,
    projects in a last column. ECharts draws them with ``layout: "none"`` and fits the box."""
    columns: dict[int, list[dict]] = {}
    for n in nodes:
        if n["category"] == 0:
            column = 0
        elif n["category"] == 5:
            column = 4
        elif n.get("segment"):
            column = {"上游": 1, "中游": 2, "下游": 3}.get(n["segment"], 2)
        else:  # a segment's own node heads its column
            column = n["category"]
        columns.setdefault(column, []).append(n)
    width, height, margin = 1000, 600, 40
    for column, members in columns.items():
        x = margin + column * (width - 2 * margin) / 4
        step = (height - 2 * margin) / max(len(members), 1)
        for k, n in enumerate(members):
            n["x"], n["y"] = round(x, 1), round(margin + step * (k + 0.5), 1)
