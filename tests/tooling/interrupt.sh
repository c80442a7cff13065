#!/bin/bash
# Interrupting a verb stops everything it started: Ctrl-C (SIGINT to the
# foreground process group) of run-guest.sh, with a stand-in QEMU that
# starts a child of its own, must leave no process behind.
. "$(dirname "$0")/standin.bash"

echo "tooling: interrupting a verb"
# The stand-in guest: a child that would outlive it, then a long wait.
cat > "$tmp/bin/qemu-system-x86_64" <<EOS
#!/bin/bash
sleep 600 &
echo \$! > "$tmp/pids"
echo \$\$ >> "$tmp/pids"
echo "guest running"
sleep 601
EOS
chmod +x "$tmp/bin/qemu-system-x86_64"

# Like a terminal's Ctrl-C: SIGINT to the whole foreground process group,
# from a parent that does not ignore SIGINT for its children.
python3 - "$tmp" "$ROOT/scripts/run-guest.sh" <<'EOS'
import os, signal, subprocess, sys, time
tmp, script = sys.argv[1], sys.argv[2]
env = dict(os.environ, BUILD=tmp + '/build', PATH=tmp + '/bin:' + os.environ['PATH'],
	   RUN_LOG=tmp + '/guest.log')
# As from a terminal: SIGINT not ignored, even when this test itself was
# started in the background (which ignores it for all it starts).
p = subprocess.Popen([script, 'iommu-intel', 'smoke'], env=env, start_new_session=True,
		     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
		     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
for _ in range(300):
	time.sleep(0.1)
	try:
		if 'guest running' in open(tmp + '/guest.log').read():
			break
	except FileNotFoundError:	# not started yet (a loaded machine)
		pass
os.killpg(p.pid, signal.SIGINT)
p.wait(timeout=20)
EOS
sleep 1
# the stand-in and its child, by pid
left=$(for p in $(cat "$tmp/pids" 2>/dev/null); do
	case "$(ps -o stat= -p "$p" 2>/dev/null)" in ''|Z*) ;; *) echo "$p" ;; esac
done)
if [ ! -s "$tmp/pids" ]; then
	nok "the stand-in guest did not start"
elif [ -n "$left" ]; then
	nok "Ctrl-C of run-guest.sh stops the guest and its children"
	ps -o pid,args -p "$(echo $left | tr ' ' ,)" | sed 's/^/       /'
	kill $left 2>/dev/null
else
	ok "Ctrl-C of run-guest.sh stops the guest and its children"
fi

echo "tooling: $pass passed, $fail failed"
[ "$fail" = 0 ]
