// JunctionConfig: see ../shared/DESIGN.md, "Layout". Sources land here.
