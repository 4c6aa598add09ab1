# Sourced by the tests that run on a NATS JetStream cluster: free_port, and start_nats_cluster DIR,
# which starts 3 nats-server nodes on loopback (JetStream stores under DIR/js0..2, logs in
# nats0..2.log in the working folder) and sets URL (the three client URLs, comma-separated) and
# NATS_PIDS, appending them to PIDS for the caller's cleanup.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_nats_cluster() {
  local dir=$1 i client=() route=() routes
  for i in 0 1 2; do client+=("$(free_port)"); route+=("$(free_port)"); done
  routes="nats://127.0.0.1:${route[0]},nats://127.0.0.1:${route[1]},nats://127.0.0.1:${route[2]}"
  URL="nats://127.0.0.1:${client[0]},nats://127.0.0.1:${client[1]},nats://127.0.0.1:${client[2]}"
  NATS_PIDS=()
  for i in 0 1 2; do
    nats-server -js -a 127.0.0.1 -p "${client[$i]}" -sd "$dir/js$i" --server_name "n$i" \
      --cluster "nats://127.0.0.1:${route[$i]}" --cluster_name fanzha --routes "$routes" \
      > "nats$i.log" 2>&1 &
    PIDS+=($!)
    NATS_PIDS+=($!)
  done
}
