package main

const schemaHelp = ""

func (t *tool) schema(args []string) int { return t.usageError("schema", "not yet available") }
