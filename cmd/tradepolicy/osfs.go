package main

import (
	"io/fs"
	"os"
)

// osFS is the file system of the command line: it opens names as the
// operating system does, relative to the working directory or absolute,
// so that problems are reported with the paths the user typed.
type osFS struct{}

func (osFS) Open(name string) (fs.File, error)          { return os.Open(name) }
func (osFS) ReadFile(name string) ([]byte, error)       { return os.ReadFile(name) }
func (osFS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }
func (osFS) Stat(name string) (fs.FileInfo, error)      { return os.Stat(name) }
