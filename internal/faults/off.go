//go:build !faultinject

package faults

const enabled = false

func hit(string) {}
