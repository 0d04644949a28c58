// containerd-client: containerd's cgroups v2 Manager (Debian's
// golang-github-containerd-cgroups-dev 1.0.4, unmodified) driven against a
// memcgfs mount: NewManager with Memory, CPU and Pids resources, Update,
// Stat, an OOM event through EventChan (inotify IN_MODIFY on
// memory.events), Freeze/Thaw and Delete.  Every step prints "ok STEP" or
// "FAIL STEP: error"; the exit status is the number of failures.
//
//	containerd-client MOUNTPOINT
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	cgroupsv2 "github.com/containerd/cgroups/v2"
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

func i64(v int64) *int64    { return &v }
func u64(v uint64) *uint64  { return &v }

// A member process owning @anon of memory (charged through sim.ctl), then
// sleeping; started outside and moved in by the Manager (AddProc).
func member(m *cgroupsv2.Manager, dir, anon string) (*exec.Cmd, error) {
	cmd := exec.Command("sh", "-c", "read x; echo 'anon "+anon+"' > "+
		filepath.Join(dir, "sim.ctl")+" && exec sleep 600")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	if err := m.AddProc(uint64(cmd.Process.Pid)); err != nil {
		cmd.Process.Kill()
		return nil, err
	}
	stdin.Write([]byte("go\n"))
	stdin.Close()
	return cmd, nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: containerd-client MOUNTPOINT")
		os.Exit(2)
	}
	mnt := os.Args[1]
	group := "/containerd-client/c1"
	dir := filepath.Join(mnt, group)
	res := &cgroupsv2.Resources{
		Memory: &cgroupsv2.Memory{Max: i64(64 << 20), High: i64(48 << 20)},
		CPU: &cgroupsv2.CPU{Weight: u64(200),
			Max: cgroupsv2.NewCPUMax(i64(50000), u64(100000))},
		Pids: &cgroupsv2.Pids{Max: 64},
	}
	m, err := cgroupsv2.NewManager(mnt, group, res)
	if !check("NewManager(memory, cpu, pids)", err) {
		os.Exit(failures)
	}
	ctl, err := m.Controllers()
	check(fmt.Sprintf("Controllers() = %v", ctl), err)

	res.Memory.Max = i64(32 << 20)
	res.Memory.High = nil
	res.Pids.Max = 32
	check("Update(memory.max 32M, pids.max 32)", m.Update(res))
	for file, want := range map[string]string{"memory.max": "33554432",
		"pids.max": "32", "cpu.weight": "200", "cpu.max": "50000 100000"} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err == nil && string(b) != want+"\n" {
			err = fmt.Errorf("%s is %q, want %q", file, b, want)
		}
		check("read back "+file, err)
	}

	// Consumed from the start, as containerd's monitor does: the
	// Manager's goroutine stops once the group is empty.
	events, errs := m.EventChan()
	oom := make(chan Event1, 1)
	go func() {
		for {
			select {
			case e, ok := <-events:
				if !ok {
					return
				}
				if e.OOM > 0 || e.OOMKill > 0 {
					oom <- Event1{e, time.Now()}
					return
				}
			case err, ok := <-errs:
				if ok && err != nil {
					fmt.Printf("   EventChan error: %v\n", err)
				}
				if !ok {
					errs = nil
				}
			}
		}
	}()
	p, err := member(m, dir, "8M")
	check("AddProc (a member owning 8M)", err)
	time.Sleep(200 * time.Millisecond)

	st, err := m.Stat()
	if check("Stat()", err) {
		fmt.Printf("   memory.usage %d limit %d pids.current %d limit %d cpu.usage_usec %d\n",
			st.Memory.Usage, st.Memory.UsageLimit, st.Pids.Current,
			st.Pids.Limit, st.CPU.UsageUsec)
		if st.Memory.UsageLimit != 32<<20 || st.Pids.Limit != 32 ||
			st.Pids.Current < 1 {
			check("Stat() figures", fmt.Errorf("unexpected: %+v %+v",
				st.Memory, st.Pids))
		}
	}

	check("Freeze()", m.Freeze())
	if p != nil {
		b, _ := os.ReadFile("/proc/" + strconv.Itoa(p.Process.Pid) + "/stat")
		fmt.Printf("   member state while frozen: %s\n", stateOf(string(b)))
	}
	check("Thaw()", m.Thaw())

	// 40M more under memory.max 32M: the memcg OOM killer kills the
	// member, and memory.events' IN_MODIFY wakes EventChan.
	start := time.Now()
	os.WriteFile(filepath.Join(dir, "sim.ctl"), []byte("anon 40M"), 0)
	var oomErr error
	select {
	case e := <-oom:
		fmt.Printf("   event %v after the charge: %+v\n",
			e.at.Sub(start).Round(time.Millisecond), e.Event)
	case <-time.After(5 * time.Second):
		oomErr = fmt.Errorf("no OOM event within 5 s")
	}
	check("EventChan delivers the OOM event", oomErr)
	if p != nil {
		p.Process.Kill()
		p.Wait()
	}
	for i := 0; i < 50; i++ {
		if pids, _ := m.Procs(false); len(pids) == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	check("Delete()", m.Delete())
	check("remove the parent", os.Remove(filepath.Join(mnt, "containerd-client")))
	os.Exit(failures)
}

// Event1 is one event and when it came.
type Event1 struct {
	cgroupsv2.Event
	at time.Time
}

func stateOf(stat string) string {
	for i := len(stat) - 1; i > 0; i-- {
		if stat[i] == ')' && i+2 < len(stat) {
			return stat[i+2 : i+3]
		}
	}
	return "?"
}
