// 1 violation: a folder with no layering rule.
