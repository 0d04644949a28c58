// runc-client: runc's cgroup v2 manager (libcontainer/cgroups/fs2 of
// Debian's golang-github-opencontainers-runc-dev 1.1.5, unmodified), which
// works only at /sys/fs/cgroup: run it in a private mount namespace where
// memcgfs is mounted there.  Apply (create, enable controllers, join),
// Set with PidsLimit, CpuWeight and Memory, GetStats, Freeze/Thaw,
// OOMKillCount, Destroy.  Prints "ok STEP" or "FAIL STEP: error"; the exit
// status is the number of failures.
package main

import (
	"fmt"
	"os"
	"os/exec"

	"github.com/opencontainers/runc/libcontainer/cgroups/fs2"
	"github.com/opencontainers/runc/libcontainer/configs"
)

var failures int

func check(step string, err error) bool {
	if err != nil {
		fmt.Printf("FAIL %s: %v\n", step, err)
		failures++
		return false
	}
	fmt.Printf("ok %s\n", step)
	return true
}

func main() {
	cg := &configs.Cgroup{
		Path: "/runc-client/ctr",
		Resources: &configs.Resources{
			PidsLimit: 50,
			CpuWeight: 100,
			Memory:    64 << 20,
		},
	}
	m, err := fs2.NewManager(cg, "")
	if !check("fs2.NewManager", err) {
		os.Exit(failures)
	}
	sleeper := exec.Command("sleep", "600")
	if err := sleeper.Start(); err != nil {
		check("start a process", err)
		os.Exit(failures)
	}
	defer func() { sleeper.Process.Kill(); sleeper.Wait() }()
	check("Apply(pid)", m.Apply(sleeper.Process.Pid))
	check("Set(PidsLimit 50, CpuWeight 100, Memory 64M)", m.Set(cg.Resources))
	dir := m.Path("")
	for file, want := range map[string]string{"pids.max": "50",
		"cpu.weight": "100", "memory.max": "67108864"} {
		b, err := os.ReadFile(dir + "/" + file)
		if err == nil && string(b) != want+"\n" {
			err = fmt.Errorf("%s is %q, want %q", file, b, want)
		}
		check("read back "+file, err)
	}
	st, err := m.GetStats()
	if check("GetStats", err) {
		fmt.Printf("   pids.current %d limit %d memory.usage %d cpu.total %d\n",
			st.PidsStats.Current, st.PidsStats.Limit,
			st.MemoryStats.Usage.Usage, st.CpuStats.CpuUsage.TotalUsage)
	}
	check("Freeze(Frozen)", m.Freeze(configs.Frozen))
	state, err := m.GetFreezerState()
	if err == nil && state != configs.Frozen {
		err = fmt.Errorf("state %s", state)
	}
	check("GetFreezerState = FROZEN", err)
	check("Freeze(Thawed)", m.Freeze(configs.Thawed))
	n, err := m.OOMKillCount()
	check(fmt.Sprintf("OOMKillCount = %d", n), err)
	sleeper.Process.Kill()
	sleeper.Wait()
	check("Destroy", m.Destroy())
	os.Remove("/sys/fs/cgroup/runc-client")
	os.Exit(failures)
}
