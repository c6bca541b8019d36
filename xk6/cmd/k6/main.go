// Command k6 is the suite's k6: the pinned go.k6.io/k6/v2 with the k6/x/gomeet extension linked in
// (what xk6 would generate; written out so the build needs only the Go module proxy).
package main

import (
	"go.k6.io/k6/v2/cmd"

	_ "gomeet-capacity/xk6/signaling"
)

func main() {
	cmd.Execute()
}
