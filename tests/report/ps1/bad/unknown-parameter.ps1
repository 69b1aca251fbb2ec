New-ADServiceAccount -Name 'gmsa-reports' -DNSHostName 'gmsa-reports.corp.contoso.com' -ServicePrincipalName 'HTTP/app'
