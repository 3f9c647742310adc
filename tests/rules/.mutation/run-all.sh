cd /work/main; M=tests/rules/.mutation
for m in real allow-all deny-all $(python3 $M/mutate.py list); do
  FIRESTORE_EMULATOR_HOST=127.0.0.1:8181 MUTANT_RULES=$M/$m.rules npx vitest run --config $M/vitest.config.ts --root . --reporter=json --outputFile=$M/$m.json > $M/$m.out 2>&1
  node -e "const r=require('./$M/$m.json');const f=r.testResults[0].assertionResults.filter(a=>a.status!=='passed');console.log('$m', 'passed',r.numPassedTests,'failed',r.numFailedTests, f.slice(0,3).map(a=>a.title).join(' | '))"
done
