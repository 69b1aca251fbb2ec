Set-ADDelegation -Identity 'svc-app' -To 'MSSQLSvc/sql1.corp.contoso.com:1433'
