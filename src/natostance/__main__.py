from natostance.cli import main

main()
