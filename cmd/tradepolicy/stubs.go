package main

const diffHelp, schemaHelp = "", ""

func (t *tool) diff(args []string) int    { return t.usageError("", "not yet available") }
func (t *tool) schema(args []string) int  { return t.usageError("", "not yet available") }
