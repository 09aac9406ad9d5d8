module gore

go 1.21
