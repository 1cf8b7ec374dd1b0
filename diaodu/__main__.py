from diaodu.cli import main

main()
