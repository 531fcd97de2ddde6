//! Simulation state to graph, layout, SVG and mermaid text
