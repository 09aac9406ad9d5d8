# For clients without Docker: every task runs a stand-in from the node's /bin with the exec driver
# (raw_exec where exec is unavailable: --var driver=raw_exec, with raw_exec enabled on the clients).
driver = "exec"
